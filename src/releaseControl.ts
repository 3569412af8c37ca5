import { randomBytes } from 'node:crypto';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { activeInstancesOf } from './azure/taskHubInstances';
import type { Target } from './config';
import { releaseIdPrefix, rollbackInstanceId } from './domain/releaseId';
import type { ActiveInstance } from './domain/targetQueue';
import { releaseOrchestrator } from './functionNames';
import { abortEvent, targetSnapshot } from './orchestrations/releaseModel';
import type { AbortRequest, ReleaseInput, ReleaseStatus } from './orchestrations/releaseModel';

/**
 * The target's releases that are still running or waiting to (a newer one queued), with when each
 * was created. Triggers stop them; a new release places itself among them. Only the target's own
 * instances are read, by their id prefix.
 */
export function activeReleasesOf(client: DurableClient, target: string): Promise<ActiveInstance[]> {
  return activeInstancesOf(client, releaseIdPrefix(target));
}

/**
 * Asks each release to stop; they roll back as on a failed gate. A release can end between being
 * listed as running and being asked, and Azure drops events for ended instances; so each is looked
 * at again, and those that had just put their image in production are returned: stopping them means
 * putting the previous image back (`startKnownGoodRollback`).
 */
export async function abortReleases(
  client: DurableClient,
  releaseIds: string[],
  request: AbortRequest,
): Promise<{ promotedFirst: string[] }> {
  const promotedFirst: string[] = [];
  for (const id of releaseIds) {
    await client.raiseEvent(id, abortEvent, request);
    const status = await client.getStatus(id, { showInput: false }).catch(() => undefined);
    const output = status?.output as Partial<ReleaseStatus> | null | undefined;
    if (
      status?.runtimeStatus === df.OrchestrationRuntimeStatus.Completed &&
      output?.kind === 'push' &&
      output.outcome === 'succeeded'
    )
      promotedFirst.push(id);
  }
  return { promotedFirst };
}

/**
 * Starts a rollback release of `target`: it puts back the newest known-good image production is not
 * already running (after a promotion, the image before it). Returns its id.
 */
export async function startKnownGoodRollback(
  client: DurableClient,
  target: Target,
  requestedBy: AbortRequest,
): Promise<string> {
  const releaseId = rollbackInstanceId(target.name, randomBytes(8).toString('hex'));
  const input: ReleaseInput = { kind: 'rollback', releaseId, target: targetSnapshot(target), requestedBy };
  await client.startNew(releaseOrchestrator, { instanceId: releaseId, input });
  return releaseId;
}
