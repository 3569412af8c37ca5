import { supersedeEarlierReleasesActivity, queueLoopOrchestrator } from '../../functionNames';
import type { PlaceInQueue } from '../../domain/targetQueue';
import type { DurableWork, Flow } from '../durableSteps';
import type { ReleaseFlow } from './flow';
import { releaseLoop } from './loop';
import type { Round } from './loop';
import type { PhaseResult } from './phase';

/** How often a queued release looks again whether the earlier releases of its target have stopped. */
const queuePollMs = 5_000;

/** Whose place in the target's queue is asked for. */
interface QueueLook {
  target: string;
  releaseId: string;
}

/** Where a release stands once it may go on: first in line, or superseded by a newer one. */
type QueueEnd = { first: true } | { supersededBy: string };

/**
 * Waits until no earlier release of the target runs, asking each to stop (they roll back); a newer
 * release of the target supersedes this one before it begins. A wait looks again every few seconds
 * in a loop of its own, so waiting long does not grow the release's history.
 */
export function* queue(flow: ReleaseFlow): Flow<PhaseResult> {
  flow.enter('queued');
  const look: QueueLook = { target: flow.target.name, releaseId: flow.input.releaseId };
  const place = yield* flow.step<PlaceInQueue>(supersedeEarlierReleasesActivity, look);
  let end = placed(place);
  if (end === undefined) {
    flow.status.waitingFor = place.earlier;
    flow.publish();
    end = yield* flow.loop<QueueEnd>(queueLoopOrchestrator, look, flow.now() + queuePollMs);
  }
  return 'supersededBy' in end
    ? { end: 'superseded', reason: `superseded by ${end.supersededBy} before it began` }
    : undefined;
}

/** The queue's loop: one look per round, until the release is first in line or superseded. */
export const queueLoop = releaseLoop(function* (
  work: DurableWork,
  look: QueueLook,
): Flow<Round<QueueLook, QueueEnd>> {
  const end = placed(yield* work.step<PlaceInQueue>(supersedeEarlierReleasesActivity, look));
  return end === undefined ? { state: look, nextAt: work.now() + queuePollMs } : { done: end };
});

/** Whether the release may go on, from its place in the queue; undefined while earlier ones run. */
function placed(place: PlaceInQueue): QueueEnd | undefined {
  const newest = place.later.at(-1);
  if (newest !== undefined) return { supersededBy: newest };
  return place.earlier.length === 0 ? { first: true } : undefined;
}
