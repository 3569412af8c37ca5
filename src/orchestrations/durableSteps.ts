import type { OrchestrationContext, Task } from 'durable-functions';
import type { AzureStepResult } from '../activities/azureStep';
import { nextRetry } from '../domain/retryPlan';
import type { RetryPolicy } from '../domain/retryPlan';

/** A generator a durable flow is written as: it yields durable tasks and returns `T`. */
export type Flow<T = void> = Generator<Task, T, unknown>;

/** The longest single durable timer Shepherd sets: Azure Storage's limit is 6 days. */
export const longestTimerMs = 5 * 24 * 3_600_000;

/** A notice is worth a few tries; a webhook down for longer is the channel's problem, not the work's. */
export const noticeRetry: RetryPolicy = {
  maxAttempts: 3,
  firstDelayMs: 5_000,
  maxDelayMs: 30_000,
  jitter: 0.2,
};

/** Thrown when a step could not be done, after the retries its policy allows. */
export class StepFailed extends Error {}

/** Steps that move work forward: a transient Azure error should not end it. */
export const forwardRetry: RetryPolicy = {
  maxAttempts: 4,
  firstDelayMs: 5_000,
  maxDelayMs: 60_000,
  jitter: 0.2,
};

/**
 * Runs an activity that reaches Azure (it answers an `AzureStepResult`) through `call`, trying again
 * after transient failures, exponentially later with jitter, as `policy` allows; `wait` sleeps on a
 * durable timer. Throws `StepFailed` when it gives up; whatever `call` or `wait` throw for other
 * reasons (an abort) passes through when `passes` says so.
 */
export function* retryingStep<T>(
  context: OrchestrationContext,
  steps: {
    call: (activity: string, input: unknown) => Flow<AzureStepResult<T>>;
    wait: (fireAt: number) => Flow;
    passes: (err: unknown) => boolean;
  },
  activity: string,
  input: unknown,
  policy: RetryPolicy,
  jitterSeed: string,
): Flow<T> {
  for (let attempt = 1; ; attempt++) {
    let failure: { status?: number | undefined; reason: string };
    try {
      const result = yield* steps.call(activity, input);
      if (result.ok) return result.value;
      failure = result;
    } catch (err) {
      if (steps.passes(err)) throw err;
      // The activity itself failed (a timeout, a crash): it is idempotent, so it may run again.
      failure = { reason: err instanceof Error ? err.message : String(err) };
    }
    const decision = nextRetry(policy, attempt, failure, jitterUnit(context, jitterSeed));
    if (!decision.retry) throw new StepFailed(`${failure.reason} (${decision.why})`);
    yield* steps.wait(context.df.currentUtcDateTime.getTime() + decision.delayMs);
  }
}

/** A number in [0, 1) that is the same on every replay: it places a retry's jitter. */
function jitterUnit(context: OrchestrationContext, seed: string): number {
  const guid = context.df.newGuid(seed);
  return Number.parseInt(guid.replaceAll('-', '').slice(0, 8), 16) / 2 ** 32;
}

/**
 * Durable work that nothing from outside interrupts (a rotation, a scan): activities run once
 * (`call`) or retried with backoff (`step`), and waits are durable timers. `seed` (the instance id)
 * places the retries' jitter.
 */
export class DurableWork {
  constructor(
    readonly context: OrchestrationContext,
    private readonly seed: string,
  ) {}

  now(): number {
    return this.context.df.currentUtcDateTime.getTime();
  }

  nowIso(): string {
    return this.context.df.currentUtcDateTime.toISOString();
  }

  /** Runs one activity once and returns its result. */
  *call<T>(activity: string, input: unknown): Flow<T> {
    return (yield this.context.df.callActivity(activity, input)) as T;
  }

  /** Runs an activity that answers an `AzureStepResult`, retried with backoff as `policy` allows. */
  *step<T>(activity: string, input: unknown, policy: RetryPolicy = forwardRetry): Flow<T> {
    return yield* retryingStep<T>(
      this.context,
      {
        call: (name, given) => this.call<AzureStepResult<T>>(name, given),
        wait: (fireAt) => this.wait(fireAt),
        passes: () => false,
      },
      activity,
      input,
      policy,
      this.seed,
    );
  }

  *wait(fireAt: number): Flow {
    yield this.context.df.createTimer(new Date(fireAt));
  }

  /**
   * Waits for `event` until `deadline`; says which came first. A wait longer than a durable timer
   * may be is a chain of shorter timers, each cancelled once it is not needed (cancelling a timer
   * Azure split after its first part fired fails the orchestration as non-deterministic).
   */
  *eventUntil(event: Task, deadline: number): Flow<'event' | 'timeout'> {
    while (this.now() < deadline) {
      const timer = this.context.df.createTimer(new Date(Math.min(deadline, this.now() + longestTimerMs)));
      const first = (yield this.context.df.Task.any([event, timer])) as Task;
      if (first !== timer) {
        timer.cancel();
        return 'event';
      }
    }
    return 'timeout';
  }
}
