import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { stopLoopEvent } from '../orchestrations/releaseLoopModel';

/**
 * Tells one of a release's polling sub-orchestrations (warm-up, queue, canary watch) to end now: its
 * release was aborted and goes on without it. Telling an ended one again is harmless, and a loop that
 * cannot be told ends by itself at its deadline, so a refusal is logged and not retried.
 */
export async function stopReleaseLoop(instanceId: string, context: InvocationContext): Promise<void> {
  try {
    await df.getClient(context).raiseEvent(instanceId, stopLoopEvent, null);
  } catch (err) {
    context.warn(
      `The loop ${instanceId} was not told to stop: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
