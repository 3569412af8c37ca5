import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AbortRequest } from '../orchestrations/releaseModel';
import { abortReleases } from '../releaseControl';

/**
 * Asks the release a promotion started to stop (it rolls back as on any abort): its image was taken
 * back where it came from. Asking again is harmless; an ended release drops the event, so the answer
 * says whether it had already put the image in production, for a person to roll back.
 */
export async function stopPromotedRelease(
  input: { releaseId: string; request: AbortRequest },
  context: InvocationContext,
): Promise<{ alreadySucceeded: boolean }> {
  const { promotedFirst } = await abortReleases(df.getClient(context), [input.releaseId], input.request);
  return { alreadySucceeded: promotedFirst.length > 0 };
}
