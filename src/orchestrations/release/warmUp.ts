import type { AzureStepResult } from '../../activities/azureStep';
import { checkSlotHealthActivity } from '../../activities/checkSlotHealth';
import type { SlotHealth } from '../../activities/checkSlotHealth';
import { ReleaseAborted } from './flow';
import type { Flow, ReleaseFlow } from './flow';
import { minutes } from './phase';
import type { PhaseResult } from './phase';

/** How often a warming slot is looked at again. */
const warmUpPollMs = 15_000;

/**
 * Waits until the slot runs the image and answers healthy, looking again every few seconds until
 * the target's warm-up time is up. A look that fails (Azure or the slot not answering) counts as
 * "not healthy yet", never as the end of the release.
 */
export function* warmUp(flow: ReleaseFlow): Flow<PhaseResult> {
  const { target, status } = flow;
  flow.enter('warmingUp');
  const deadline = flow.now() + minutes(target.warmUp.timeoutMinutes);
  for (;;) {
    const health = yield* lookAtSlot(flow);
    if (health.healthy) return undefined;
    if (flow.now() >= deadline)
      return {
        end: 'failed',
        reason: `the slot did not become healthy within ${target.warmUp.timeoutMinutes} min: ${health.detail}`,
      };
    status.warmUp = { detail: health.detail, at: flow.nowIso() };
    flow.publish();
    yield* flow.wait(flow.now() + warmUpPollMs);
  }
}

function* lookAtSlot(flow: ReleaseFlow): Flow<SlotHealth> {
  try {
    const look = yield* flow.call<AzureStepResult<SlotHealth>>(checkSlotHealthActivity, {
      ...flow.where,
      image: flow.status.image,
      healthPath: flow.target.warmUp.healthPath,
    });
    return look.ok ? look.value : { healthy: false, detail: `the slot could not be read: ${look.reason}` };
  } catch (err) {
    if (err instanceof ReleaseAborted) throw err;
    return {
      healthy: false,
      detail: `the health check failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
