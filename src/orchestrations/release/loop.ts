import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { DurableWork } from '../durableSteps';
import type { Flow } from '../durableSteps';
import { stopLoopEvent } from '../releaseLoopModel';
import type { LoopEnd, LoopInput } from '../releaseLoopModel';

/** What one round of a loop decided: its answer, or the state for the next round and when it runs. */
export type Round<S, R> = { done: R } | { state: S; nextAt: number };

/**
 * Rounds per generation: each round adds a few history events (an activity, a timer, their episodes),
 * so a generation ends at about a hundred and the loop goes on as new with an empty history.
 */
export const roundsPerGeneration = 12;

/**
 * A polling loop of a release as a sub-orchestration, so that however long it runs the release's own
 * history grows by two events: each round is `round`, the next waits on a durable timer, and every
 * `roundsPerGeneration` rounds it continues as new with its state. The `stop` event (its release was
 * aborted) ends it between rounds.
 */
export function releaseLoop<S, R>(
  round: (work: DurableWork, state: S) => Flow<Round<S, R>>,
): OrchestrationHandler {
  return function* (context: OrchestrationContext): Flow<LoopEnd<R> | undefined> {
    const input = context.df.getInput<LoopInput<S>>();
    const work = new DurableWork(context, input.seed);
    const stop = context.df.waitForExternalEvent(stopLoopEvent);
    let { state, nextAt } = input;
    for (let rounds = 0; ; rounds++) {
      if (stop.isCompleted) return { stopped: true };
      if (rounds >= roundsPerGeneration) {
        context.df.continueAsNew({ ...input, state, nextAt } satisfies LoopInput<S>);
        return undefined;
      }
      if (nextAt > work.now()) {
        const timer = context.df.createTimer(new Date(nextAt));
        const first = (yield context.df.Task.any([timer, stop])) as Task;
        if (first === stop) {
          timer.cancel();
          return { stopped: true };
        }
      }
      const next = yield* round(work, state);
      if ('done' in next) return { done: next.done };
      ({ state, nextAt } = next);
    }
  };
}
