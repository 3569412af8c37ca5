import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AbortRequest } from '../orchestrations/releaseModel';
import { abortReleases } from '../releaseControl';
import { statusIfAny } from '../startOnce';

/** What became of the request: the release had already put its image in production, or never existed. */
export interface PromotedReleaseStopped {
  alreadySucceeded: boolean;
  /** No release has that id: the image was never promoted there (absent in answers before it was told). */
  missing?: true;
}

/**
 * Asks the release a promotion started to stop (it rolls back as on any abort): its image was taken
 * back where it came from. Asking again is harmless; an ended release drops the event, so the answer
 * says whether it had already put the image in production, for a person to roll back.
 */
export async function stopPromotedRelease(
  input: { releaseId: string; request: AbortRequest },
  context: InvocationContext,
): Promise<PromotedReleaseStopped> {
  const client = df.getClient(context);
  // A rollback asks for the release its image would have started, which a refused promotion never did.
  if ((await statusIfAny(client, input.releaseId)) === undefined)
    return { alreadySucceeded: false, missing: true };
  const { promotedFirst } = await abortReleases(client, [input.releaseId], input.request);
  return { alreadySucceeded: promotedFirst.length > 0 };
}
