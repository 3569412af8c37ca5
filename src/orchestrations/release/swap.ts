import { followSwapActivity, startSwapActivity } from '../../functionNames';
import type { SwapLook, SwapStart } from '../../activities/swapIntoProduction';
import type { RetryPolicy } from '../../domain/retryPlan';
import { judgeSwap } from '../../domain/swapProgress';
import { StepFailed } from './flow';
import type { Flow, ReleaseFlow } from './flow';
import { minutes } from './phase';

/** How often a swap in progress is looked at. */
const swapPollMs = 10_000;
/**
 * How long a swap may take, Azure's warm-up of every instance included, before Shepherd stops
 * waiting for it; a swap that has not finished by then is treated as failed (production in doubt).
 */
export const swapPatienceMinutes = 30;

/**
 * Makes production run `image` by swapping it in from the slot: starts App Service's swap and follows
 * the operation on durable timers, so no activity has to outlive it. While Azure is still busy with
 * an earlier operation (a swap of this release whose first request timed out, say), it waits and
 * asks again. `started` receives the operation's handle as soon as there is one. Throws
 * `StepFailed` when the swap fails, cannot be made, or outlasts `swapPatienceMinutes`.
 */
export function* swapInto(
  flow: ReleaseFlow,
  image: string,
  policy: RetryPolicy,
  started: (operation: string) => void = () => undefined,
): Flow {
  const deadline = flow.now() + minutes(swapPatienceMinutes);
  for (;;) {
    const start = yield* flow.step<SwapStart>(startSwapActivity, { ...flow.where, image }, policy);
    if (start.state === 'done') return;
    if (start.state === 'refused') throw new StepFailed(start.reason);
    if (start.state === 'started') {
      started(start.operation);
      yield* followSwap(flow, start.operation, deadline, policy, image);
      return;
    }
    if (flow.now() >= deadline)
      throw new StepFailed(
        `Azure stayed busy with another operation for ${swapPatienceMinutes} min: ${start.reason}`,
      );
    yield* flow.wait(flow.now() + swapPollMs);
  }
}

/**
 * Follows a swap until it has settled. Given `image`, it must have left production on it; without,
 * it is enough that Azure no longer reports it running (a rollback waits so before it looks which
 * way production faces).
 */
export function* followSwap(
  flow: ReleaseFlow,
  operation: string,
  deadline: number,
  policy: RetryPolicy,
  image?: string,
): Flow {
  for (;;) {
    yield* flow.wait(flow.now() + swapPollMs);
    const look = yield* flow.step<SwapLook>(followSwapActivity, { ...flow.where, operation }, policy);
    if (image === undefined) {
      if (look.progress.state !== 'running') return;
    } else {
      const verdict = judgeSwap(look, image);
      if (verdict.state === 'done') return;
      if (verdict.state === 'failed') throw new StepFailed(verdict.reason);
    }
    if (flow.now() >= deadline)
      throw new StepFailed(`the swap did not finish within ${swapPatienceMinutes} min`);
  }
}
