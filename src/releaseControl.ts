import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { queryInstances } from './azure/taskHubInstances';
import { releaseIdPrefix } from './domain/releaseId';
import type { ActiveRelease } from './domain/targetQueue';
import { abortEvent } from './orchestrations/releaseModel';
import type { AbortRequest } from './orchestrations/releaseModel';

/**
 * The target's releases that are still running or waiting to (a newer one queued), with when each
 * was created. Triggers stop them; a new release places itself among them. Only the target's own
 * instances are read, by their id prefix.
 */
export async function activeReleasesOf(client: DurableClient, target: string): Promise<ActiveRelease[]> {
  const active = await queryInstances(client, {
    instanceIdPrefix: releaseIdPrefix(target),
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  return active.map((s) => ({ id: s.instanceId, createdTime: s.createdTime.toISOString() }));
}

/**
 * Asks each release to stop; they roll back as on a failed gate. The durable client ignores one
 * that finished in the meantime: it has nothing left to stop.
 */
export async function abortReleases(
  client: DurableClient,
  releaseIds: string[],
  request: AbortRequest,
): Promise<void> {
  for (const id of releaseIds) await client.raiseEvent(id, abortEvent, request);
}
