import { ReleaseReplay, pushOf, replayTarget } from '../test/support/releaseReplay';

/**
 * The durable history of one default canary release with bake (3 steps of 5 minutes, each watched
 * while it runs, a 10-minute bake), replayed by the local host's durable engine on a virtual clock:
 * the release's own events, and the most any generation of its loops (warm-up, queue, watch) held.
 */
export async function releaseHistory(): Promise<Record<string, number>> {
  const replay = new ReleaseReplay();
  try {
    const id = await replay.start(pushOf(replayTarget()));
    let largestLoop = 0;
    await replay.runUntil('the release to end', () => {
      for (const state of replay.engine.list())
        if (state.instanceId !== id) largestLoop = Math.max(largestLoop, state.history.length);
      return replay.ended(id);
    });
    const status = await replay.finish(id);
    if (status.outcome !== 'succeeded')
      throw new Error(`the release ended ${status.outcome ?? '?'}: ${status.reason ?? ''}`);
    return {
      'release.history_events_3step': replay.historyOf(id).length,
      'release.history_events_largest_loop_generation': largestLoop,
    };
  } finally {
    replay.stop();
  }
}
