import type { AzureStepResult } from '../../activities/azureStep';
import { checkSlotHealthActivity, warmUpLoopOrchestrator } from '../../functionNames';
import type { SlotHealth } from '../../activities/checkSlotHealth';
import type { SlotTarget } from '../../activities/releaseTypes';
import type { DurableWork, Flow } from '../durableSteps';
import { ReleaseAborted } from './flow';
import type { ReleaseFlow } from './flow';
import { releaseLoop } from './loop';
import type { Round } from './loop';
import { minutes } from './phase';
import type { PhaseResult } from './phase';

/** How often a warming slot is looked at again. */
const warmUpPollMs = 15_000;

/** What the warm-up loop looks at, and until when. */
interface WarmUpLook extends SlotTarget {
  image: string;
  healthPath: string;
  deadline: number;
}

/**
 * Waits until the slot runs the image and answers healthy, looking again every few seconds until
 * the target's warm-up time is up (in a loop of its own, so a long warm-up does not grow the
 * release's history). A look that fails (Azure or the slot not answering) counts as "not healthy
 * yet", never as the end of the release.
 */
export function* warmUp(flow: ReleaseFlow): Flow<PhaseResult> {
  const { target, status } = flow;
  flow.enter('warmingUp');
  const look: WarmUpLook = {
    ...flow.where,
    image: status.image,
    healthPath: target.warmUp.healthPath,
    deadline: flow.now() + minutes(target.warmUp.timeoutMinutes),
  };
  let health = yield* lookAtSlot((activity, input) => flow.call(activity, input), look);
  if (!health.healthy) {
    status.warmUp = { detail: health.detail, at: flow.nowIso() };
    flow.publish();
    health = yield* flow.loop<SlotHealth>(warmUpLoopOrchestrator, look, flow.now() + warmUpPollMs);
  }
  if (health.healthy) return undefined;
  return {
    end: 'failed',
    reason: `the slot did not become healthy within ${target.warmUp.timeoutMinutes} min: ${health.detail}`,
  };
}

/** The warm-up's loop: one look per round, until the slot is healthy or the time is up. */
export const warmUpLoop = releaseLoop(function* (
  work: DurableWork,
  look: WarmUpLook,
): Flow<Round<WarmUpLook, SlotHealth>> {
  const health = yield* lookAtSlot((activity, input) => work.call(activity, input), look);
  if (health.healthy || work.now() >= look.deadline) return { done: health };
  return { state: look, nextAt: work.now() + warmUpPollMs };
});

function* lookAtSlot(
  call: (activity: string, input: unknown) => Flow<AzureStepResult<SlotHealth>>,
  look: WarmUpLook,
): Flow<SlotHealth> {
  try {
    const { site, slot, image, healthPath } = look;
    const answer = yield* call(checkSlotHealthActivity, { site, slot, image, healthPath });
    return answer.ok
      ? answer.value
      : { healthy: false, detail: `the slot could not be read: ${answer.reason}` };
  } catch (err) {
    if (err instanceof ReleaseAborted) throw err;
    return {
      healthy: false,
      detail: `the health check failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
