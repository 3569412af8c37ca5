import type { OrchestrationContext } from 'durable-functions';
import type { AzureStepResult } from '../../activities/azureStep';
import type { RetryPolicy } from '../../domain/retryPlan';
import { forwardRetry, retryingStep } from '../durableSteps';
import type { Flow } from '../durableSteps';
import type { RotationInput, RotationOutcome, RotationPhase, RotationStatus } from '../rotationModel';

/**
 * The context every phase of a rotation shares: the durable context, the input and the status a
 * person reads. A rotation is not aborted from outside: once a new value is written it must reach
 * every consumer, or the previous one must come back.
 */
export class RotationFlow {
  constructor(
    readonly context: OrchestrationContext,
    readonly input: RotationInput,
    readonly status: RotationStatus,
  ) {}

  now(): number {
    return this.context.df.currentUtcDateTime.getTime();
  }

  nowIso(): string {
    return this.context.df.currentUtcDateTime.toISOString();
  }

  publish(): void {
    this.context.df.setCustomStatus(this.status);
  }

  enter(phase: RotationPhase): void {
    this.status.phase = phase;
    this.publish();
  }

  end(outcome: RotationOutcome, reason: string, urgent = false): RotationStatus {
    Object.assign(this.status, { phase: 'done', outcome, reason, ...(urgent ? { urgent } : {}) });
    this.publish();
    return this.status;
  }

  /** Runs one activity once and returns its result. */
  *call<T>(activity: string, input: unknown): Flow<T> {
    return (yield this.context.df.callActivity(activity, input)) as T;
  }

  /** Runs an activity that reaches Azure or the database, retried with backoff as `policy` allows. */
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
      this.input.rotationId,
    );
  }

  *wait(fireAt: number): Flow {
    yield this.context.df.createTimer(new Date(fireAt));
  }
}
