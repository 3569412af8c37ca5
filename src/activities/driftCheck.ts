import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { AzureOperationError } from '../azure/azureOperationError';
import { siteResourceId } from '../azure/siteRef';
import type { Config, Target } from '../config';
import type { CleanupItem, CleanupPlan } from '../domain/cleanupPlan';
import { findDrift } from '../domain/drift';
import { siteKey } from '../domain/siteKey';
import type { ObservedTarget } from '../domain/drift';
import { freezesHolding } from '../domain/freeze';
import { knownGoodFromTags } from '../domain/knownGood';
import type { DriftServices } from '../driftServices';
import { freezesInForce } from '../freezeControl';
import { activeReleasesOf } from '../releaseControl';

/** The releases running on `target`'s site, by it or any target sharing the site. */
async function releasesOnSite(client: DurableClient, config: Config, target: Target): Promise<string[]> {
  const sharing = config.targets.filter((t) => siteKey(t.site) === siteKey(target.site));
  const releases = await Promise.all(sharing.map((t) => activeReleasesOf(client, t.name)));
  return releases.flat().map((r) => r.id);
}

/** What the target's site looks like: a 404 on reading it means it is missing; any other failure throws. */
async function observe(services: DriftServices, target: Target): Promise<ObservedTarget> {
  const { site } = target;
  let states;
  try {
    states = await services.power.states(site);
  } catch (err) {
    if (err instanceof AzureOperationError && err.status === 404)
      return { target: target.name, site: site.name, found: false };
    throw err;
  }
  const hasSlot = states.some((s) => s.slot === site.slot);
  const [routing, production, staging] = await Promise.all([
    services.router.slotShares(site),
    services.slots.getImage(site),
    hasSlot ? services.slots.getImage(site, site.slot) : Promise.resolve(undefined),
  ]);
  return {
    target: target.name,
    site: site.name,
    found: true,
    slot: site.slot,
    routing: routing.map(({ slot, percent }) => ({ slot, percent })),
    states,
    images: {
      ...(production === undefined ? {} : { production }),
      ...(staging === undefined ? {} : { staging }),
    },
  };
}

/**
 * Reads every target (site and slot states, routing rules, images, known-good tags), its running
 * releases and the budget freezes in force, and asks `findDrift` what differs. Any read that fails,
 * other than a site that is not there, throws: no plan is made from half the targets.
 */
export function planDriftCleanup(config: Config, services: DriftServices) {
  return async (input: { now: string }, context: InvocationContext): Promise<CleanupPlan> => {
    const now = Date.parse(input.now);
    const client = df.getClient(context);
    const budgetFreezes = (await freezesInForce(config, services.freezes, now)).filter(
      (f) => f.source === 'budget',
    );
    const items: CleanupItem[] = [];
    for (const target of config.targets) {
      const observed = await observe(services, target);
      const [tags, own, siteReleases] = await Promise.all([
        observed.found ? services.tags.read(siteResourceId(target.site)) : Promise.resolve({}),
        activeReleasesOf(client, target.name),
        releasesOnSite(client, config, target),
      ]);
      items.push(
        ...findDrift(observed, {
          knownGood: knownGoodFromTags(tags),
          runningReleases: own.map((r) => r.id),
          siteReleases,
          budgetFreezes: freezesHolding(budgetFreezes, target, now).map((f) => f.id),
        }),
      );
    }
    return { kind: 'drift', at: new Date(now).toISOString(), items };
  };
}

/**
 * Carries out a `fix` item: clears the routing rules of the target's site. `'gone'` when there are
 * none left, or when a release started on the site since the plan (the rule is then its own).
 * `report` and `keep` items are for people and are never carried out.
 */
export function carryOutDriftItem(config: Config, services: DriftServices) {
  return async (input: { item: CleanupItem }, context: InvocationContext): Promise<'done' | 'gone'> => {
    const { item } = input;
    if (item.action !== 'fix') throw new RangeError(`${item.id} is reported to people, not carried out.`);
    const target = config.targets.find((t) => t.name === item.detail?.target);
    if (target === undefined) throw new RangeError(`${item.id} names no target Shepherd knows.`);
    if ((await services.router.slotShares(target.site)).length === 0) return 'gone';
    if ((await releasesOnSite(df.getClient(context), config, target)).length > 0) return 'gone';
    await services.router.clearRouting(target.site);
    return 'done';
  };
}
