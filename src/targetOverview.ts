import * as df from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { AzureOperationError } from './azure/azureOperationError';
import type { ResourceTags } from './azure/resourceTags';
import { siteResourceId } from './azure/siteRef';
import type { SlotDeployment } from './azure/slotDeployment';
import { queryInstances } from './azure/taskHubInstances';
import type { Config, Target } from './config';
import { describeScope, freezesHolding } from './domain/freeze';
import type { Freeze } from './domain/freeze';
import { knownGoodFromTags } from './domain/knownGood';
import type { KnownGood } from './domain/knownGood';
import { releaseIdPrefix } from './domain/releaseId';
import type { ReleaseStatus } from './orchestrations/releaseModel';

/** The reads a target's overview makes of Azure: a slot's image and the site's tags. */
export interface TargetReads {
  slots: Pick<SlotDeployment, 'getImage'>;
  tags: Pick<ResourceTags, 'read'>;
}

/** A freeze as the overview shows it on the target it holds. */
export interface FreezeOnTarget {
  holds: string;
  source: Freeze['source'];
  reason: string;
  by: Freeze['by'];
  since?: string;
  until?: string;
}

/** The target's release in progress: the one touching its site, or the newest waiting to. */
export interface ReleaseInProgress {
  id: string;
  kind: ReleaseStatus['kind'] | 'unknown';
  image: string;
  phase: ReleaseStatus['phase'] | 'pending';
  trafficPercent: number;
  createdTime: string;
  /** The target's other releases still running or pending (stopping, or queued behind this one). */
  alsoActive: string[];
}

/** Why each of the overview's reads that failed could not be done; its field is then left out. */
export type UnknownReads = Partial<
  Record<'production' | 'slot' | 'knownGood' | 'freezes' | 'release', string>
>;

/** One target as `GET /api/targets` shows it: its settings that matter to a person, and what runs now. */
export interface TargetOverview {
  name: string;
  environment: string;
  strategy: Target['strategy'];
  site: { subscriptionId: string; resourceGroup: string; name: string; slot: string };
  repository: string;
  approvalRequired: boolean;
  /** The thresholds its canary windows are judged by, to read a window's numbers against. */
  gates: Target['gates'];
  /** The image production runs; null when it runs no container image. */
  production?: string | null;
  /** The image the target's slot runs; null when it runs no container image. */
  slot?: string | null;
  knownGood?: KnownGood;
  freezes?: FreezeOnTarget[];
  release?: ReleaseInProgress | null;
  unknown?: UnknownReads;
}

/** The freezes in force, or why they could not be read (the same for every target). */
export type FreezesRead = { freezes: readonly Freeze[] } | { unknown: string };

/**
 * What `target` runs now and what holds it, each read on its own: a read that fails is left out and
 * its reason given under `unknown`, so one unreachable site or store never hides the rest.
 */
export async function overviewOf(
  reads: TargetReads,
  client: DurableClient,
  target: Target,
  freezes: FreezesRead,
  now: number,
): Promise<TargetOverview> {
  const { site } = target;
  const [production, slot, tags, release] = await Promise.allSettled([
    reads.slots.getImage(site),
    reads.slots.getImage(site, site.slot),
    reads.tags.read(siteResourceId(site)),
    releaseInProgress(client, target.name),
  ]);
  const unknown: UnknownReads = {};
  const shown: Partial<TargetOverview> = {};
  if (production.status === 'fulfilled') shown.production = production.value ?? null;
  else unknown.production = reasonOf(production.reason);
  if (slot.status === 'fulfilled') shown.slot = slot.value ?? null;
  else unknown.slot = reasonOf(slot.reason);
  if (tags.status === 'fulfilled') shown.knownGood = knownGoodFromTags(tags.value);
  else unknown.knownGood = reasonOf(tags.reason);
  if ('freezes' in freezes) shown.freezes = freezesHolding(freezes.freezes, target, now).map(freezeOnTarget);
  else unknown.freezes = freezes.unknown;
  if (release.status === 'fulfilled') shown.release = release.value;
  else unknown.release = reasonOf(release.reason);
  return {
    name: target.name,
    environment: target.environment,
    strategy: target.strategy,
    site: {
      subscriptionId: site.subscriptionId,
      resourceGroup: site.resourceGroup,
      name: site.name,
      slot: site.slot,
    },
    repository: `${target.registry.loginServer}/${target.registry.repository}`,
    approvalRequired: target.approval.required,
    gates: target.gates,
    ...shown,
    ...(Object.keys(unknown).length > 0 ? { unknown } : {}),
  };
}

/** Every target of the targets file, in its order. */
export function overviewOfAll(
  config: Config,
  reads: TargetReads,
  client: DurableClient,
  freezes: FreezesRead,
  now: number,
): Promise<TargetOverview[]> {
  return Promise.all(config.targets.map((t) => overviewOf(reads, client, t, freezes, now)));
}

function freezeOnTarget(freeze: Freeze): FreezeOnTarget {
  const { source, reason, by, since, until } = freeze;
  return {
    holds: describeScope(freeze.scope),
    source,
    reason,
    by,
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}

/**
 * Adapter errors are written by Shepherd, free of keys and tokens (`AzureOperationError`); the text
 * of anything else is not shown, as it could quote a URL that carries a key.
 */
function reasonOf(err: unknown): string {
  if (err instanceof AzureOperationError) return err.message;
  return 'it could not be read; try again';
}

/**
 * Reads the target's releases still running or pending. The one shown is the oldest that has left
 * the queue (it is acting on the site), else the newest (it will, once the others have stopped).
 */
async function releaseInProgress(client: DurableClient, target: string): Promise<ReleaseInProgress | null> {
  const active = (
    await queryInstances(client, {
      instanceIdPrefix: releaseIdPrefix(target),
      runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
    })
  ).sort((a, b) => a.createdTime.getTime() - b.createdTime.getTime());
  const acting = active.find((s) => statusOf(s)?.phase !== 'queued') ?? active.at(-1);
  if (acting === undefined) return null;
  const status = statusOf(acting);
  return {
    id: acting.instanceId,
    kind: status?.kind ?? 'unknown',
    image: status?.image ?? '',
    phase: status?.phase ?? 'pending',
    trafficPercent: status?.trafficPercent ?? 0,
    createdTime: acting.createdTime.toISOString(),
    alsoActive: active.filter((s) => s !== acting).map((s) => s.instanceId),
  };
}

/** The release's custom status; none before the release has published one. */
function statusOf(instance: DurableOrchestrationStatus): Partial<ReleaseStatus> | undefined {
  const status = instance.customStatus as Partial<ReleaseStatus> | null | undefined;
  return typeof status === 'object' && status !== null ? status : undefined;
}
