import { supersedeEarlierReleasesActivity } from '../../activities/supersedeEarlierReleases';
import type { PlaceInQueue } from '../../domain/targetQueue';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';

/** How often a queued release looks again whether the earlier releases of its target have stopped. */
const queuePollMs = 5_000;

/**
 * Waits until no earlier release of the target runs, asking each to stop (they roll back); a newer
 * release of the target supersedes this one before it begins.
 */
export function* queue(flow: ReleaseFlow): Flow<PhaseResult> {
  flow.enter('queued');
  for (;;) {
    const place = yield* flow.step<PlaceInQueue>(supersedeEarlierReleasesActivity, {
      target: flow.target.name,
      releaseId: flow.input.releaseId,
    });
    const newest = place.later.at(-1);
    if (newest !== undefined) return { end: 'superseded', reason: `superseded by ${newest} before it began` };
    if (place.earlier.length === 0) return undefined;
    flow.status.waitingFor = place.earlier;
    flow.publish();
    yield* flow.wait(flow.now() + queuePollMs);
  }
}
