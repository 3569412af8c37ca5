import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import type { Config, Target } from '../config';
import type { RegistryRepository } from '../azure/imageRegistry';
import { productionSlot, siteResourceId } from '../azure/siteRef';
import { queryInstances } from '../azure/taskHubInstances';
import type { CleanupItem, CleanupPlan } from '../domain/cleanupPlan';
import { splitImageReference } from '../domain/imageReference';
import { knownGoodFromTags } from '../domain/knownGood';
import { planRegistryRetention } from '../domain/registryRetention';
import type { InUseImage } from '../domain/registryRetention';
import type { RegistryCleanupServices } from '../registryCleanupServices';

/** The part of a release's input that names what it deploys; rollbacks carry no digest. */
const releaseInputSchema = z.object({ digest: z.string().min(1), target: z.object({ name: z.string() }) });

/** What registry cleanup deletes with: the repository and digest a `delete` item carries. */
const itemDetailSchema = z.object({
  loginServer: z.string().min(1),
  repository: z.string().min(1),
  digest: z.string().min(1),
});

/**
 * Plans registry cleanup for every target with it enabled: first what is in use anywhere (every
 * slot's image, the known-good records, the image of every running or waiting release), then each
 * repository's manifests (the target's and its `extraRepositories`) by the target's rules. Any
 * failed read throws: a partial picture of what is in use would delete what is needed.
 */
export function planRegistryCleanup(config: Config, services: RegistryCleanupServices) {
  return async (input: { now: string }, context: InvocationContext): Promise<CleanupPlan> => {
    const inUse = [
      ...(await imagesTargetsNeed(config.targets, services)),
      ...(await imagesOfActiveReleases(context)),
    ];
    const items: CleanupItem[] = [];
    const planned = new Set<string>();
    for (const target of config.targets) {
      const rules = target.cleanup.registry;
      if (!rules.enabled) continue;
      for (const repository of [target.registry.repository, ...rules.extraRepositories]) {
        const where = { loginServer: target.registry.loginServer, repository };
        // A repository several targets share is planned once, by the first target's rules.
        const key = `${where.loginServer.toLowerCase()}/${repository}`;
        if (planned.has(key)) continue;
        planned.add(key);
        const manifests = await services.manifests.list(where);
        items.push(...planRegistryRetention({ ...where, manifests }, inUse, rules, new Date(input.now)));
      }
    }
    return { kind: 'registry', at: input.now, items };
  };
}

/** Deletes the manifest a `delete` item names; `gone` when it already was. */
export function carryOutRegistryItem(_config: Config, services: RegistryCleanupServices) {
  return async (input: { item: CleanupItem }): Promise<'done' | 'gone'> => {
    const detail = itemDetailSchema.parse(input.item.detail);
    return services.manifests.deleteManifest(detail, detail.digest);
  };
}

/** The digests each target's slots run and its known-good records name, each with why it is needed. */
async function imagesTargetsNeed(
  targets: Target[],
  services: RegistryCleanupServices,
): Promise<InUseImage[]> {
  const needed: InUseImage[] = [];
  for (const target of targets) {
    const { site } = target;
    const named: [string | undefined, string][] = [
      [await services.slots.getImage(site), `running in ${target.name}/${productionSlot}`],
      [await services.slots.getImage(site, site.slot), `running in ${target.name}/${site.slot}`],
    ];
    const knownGood = knownGoodFromTags(await services.tags.read(siteResourceId(site)));
    named.push([knownGood.latest, `known good for ${target.name}`]);
    named.push([knownGood.before, `known good before for ${target.name}`]);
    for (const [image, reason] of named) {
      const digest = image === undefined ? undefined : await digestOf(image, target, services);
      if (digest !== undefined) needed.push({ digest, reason });
    }
  }
  return needed;
}

/**
 * The digest an image reference pins, or the one its tag names now. A tag that no longer resolves
 * names nothing this registry holds, so nothing of it needs keeping.
 */
async function digestOf(
  image: string,
  target: Target,
  services: RegistryCleanupServices,
): Promise<string | undefined> {
  const { registry, repository, tag, digest } = splitImageReference(image);
  if (digest !== undefined) return digest;
  const where: RegistryRepository = { loginServer: registry ?? target.registry.loginServer, repository };
  return (await services.images.resolve(where, tag ?? 'latest'))?.digest;
}

/** The digests of releases running or waiting, which deploy them any moment. */
async function imagesOfActiveReleases(context: InvocationContext): Promise<InUseImage[]> {
  const releases = await queryInstances(df.getClient(context), {
    // Every target's releases: their ids all start so (`releaseIdPrefix`).
    instanceIdPrefix: 'release:',
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
    showInput: true,
  });
  return releases.flatMap((release) => {
    const input = releaseInputSchema.safeParse(release.input);
    return input.success
      ? [
          {
            digest: input.data.digest,
            reason: `image of ${release.runtimeStatus.toLowerCase()} release ${release.instanceId}`,
          },
        ]
      : [];
  });
}
