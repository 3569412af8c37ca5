import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { releaseIdPrefix } from '../domain/releaseId';
import { abortEvent } from '../orchestrations/releaseModel';
import type { AbortRequest } from '../orchestrations/releaseModel';

/** The id of the target's release that is still running, if any. */
export async function runningReleaseOf(client: DurableClient, target: string): Promise<string | undefined> {
  const running = await client.getStatusBy({
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  return running.find((s) => s.instanceId.startsWith(releaseIdPrefix(target)))?.instanceId;
}

/** Asks a running release to stop; it rolls back as it would on a failed gate. */
export async function abortRelease(
  client: DurableClient,
  releaseId: string,
  request: AbortRequest,
): Promise<void> {
  await client.raiseEvent(releaseId, abortEvent, request);
}
