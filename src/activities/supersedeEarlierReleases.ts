import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { releaseIdPrefix } from '../domain/releaseId';
import { placeInQueue } from '../domain/targetQueue';
import type { PlaceInQueue } from '../domain/targetQueue';
import { abortEvent } from '../orchestrations/releaseModel';
import type { AbortRequest } from '../orchestrations/releaseModel';

export const supersedeEarlierReleasesActivity = 'supersedeEarlierReleases';

/**
 * Places a release among the target's other running releases and asks every earlier one to stop
 * (they roll back as on any abort). Asking again is harmless, so the activity may repeat.
 */
export async function supersedeEarlierReleases(
  input: { target: string; releaseId: string },
  context: InvocationContext,
): Promise<PlaceInQueue> {
  const client = df.getClient(context);
  const active = await client.getStatusBy({
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  const place = placeInQueue(
    input.releaseId,
    active
      .filter((s) => s.instanceId.startsWith(releaseIdPrefix(input.target)))
      .map((s) => ({ id: s.instanceId, createdTime: new Date(s.createdTime).toISOString() })),
  );
  const request: AbortRequest = {
    by: 'shepherd',
    reason: `superseded by ${input.releaseId}`,
    supersededBy: input.releaseId,
  };
  // The durable client ignores one that finished since it was listed: it has nothing left to stop.
  for (const id of place.earlier) await client.raiseEvent(id, abortEvent, request);
  return place;
}
