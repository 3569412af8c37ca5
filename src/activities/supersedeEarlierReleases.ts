import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { placeInQueue } from '../domain/targetQueue';
import type { PlaceInQueue } from '../domain/targetQueue';
import { abortReleases, activeReleasesOf } from '../releaseControl';

/**
 * Places a release among the target's other running releases and asks every earlier one to stop
 * (they roll back as on any abort). Asking again is harmless, so the activity may repeat.
 */
export async function supersedeEarlierReleases(
  input: { target: string; releaseId: string },
  context: InvocationContext,
): Promise<PlaceInQueue> {
  const client = df.getClient(context);
  const place = placeInQueue(input.releaseId, await activeReleasesOf(client, input.target));
  await abortReleases(client, place.earlier, {
    by: 'shepherd',
    reason: `superseded by ${input.releaseId}`,
    supersededBy: input.releaseId,
  });
  return place;
}
