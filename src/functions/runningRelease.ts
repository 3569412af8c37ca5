import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { releaseIdPrefix } from '../domain/releaseId';
import { abortEvent } from '../orchestrations/releaseModel';
import type { AbortRequest } from '../orchestrations/releaseModel';

/** The ids of the target's releases that are still running or waiting to (a newer one queued). */
export async function runningReleasesOf(client: DurableClient, target: string): Promise<string[]> {
  const running = await client.getStatusBy({
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  return running.map((s) => s.instanceId).filter((id) => id.startsWith(releaseIdPrefix(target)));
}

/**
 * Asks each running release to stop; they roll back as on a failed gate. The durable client ignores
 * one that finished in the meantime: it has nothing left to stop.
 */
export async function abortReleases(
  client: DurableClient,
  releaseIds: string[],
  request: AbortRequest,
): Promise<void> {
  for (const id of releaseIds) await client.raiseEvent(id, abortEvent, request);
}
