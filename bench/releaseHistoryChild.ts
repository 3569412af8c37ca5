import { setLogSink } from '../dev/host/log';
import { ReleaseReplay, pushOf, replayTarget } from '../test/support/releaseReplay';

/**
 * The durable history of one default canary release with bake (3 steps of 5 minutes, each watched
 * while it runs, a 10-minute bake), replayed by the local host's durable engine on a virtual clock:
 * the release's own events, and the most any generation of its loops (warm-up, queue, watch) held.
 * Prints them as one JSON line.
 */
async function main(): Promise<void> {
  setLogSink(() => undefined);
  const replay = new ReleaseReplay();
  try {
    const id = await replay.start(pushOf(replayTarget()));
    const { releaseEvents, largestLoopEvents, status } = await replay.finishCountingHistory(id);
    if (status.outcome !== 'succeeded')
      throw new Error(`the release ended ${status.outcome ?? '?'}: ${status.reason ?? ''}`);
    process.stdout.write(
      `${JSON.stringify({
        'release.history_events_3step': releaseEvents,
        'release.history_events_largest_loop_generation': largestLoopEvents,
      })}\n`,
    );
  } finally {
    replay.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
