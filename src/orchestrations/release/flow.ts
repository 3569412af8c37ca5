import type { OrchestrationContext, Task } from 'durable-functions';
import { recordAuditActivity, stopReleaseLoopActivity } from '../../functionNames';
import type { Target } from '../../config';
import { auditDetail } from '../../domain/auditEntry';
import type { AuditEntry } from '../../domain/auditEntry';
import type { WindowCounts } from '../../domain/canaryWindow';
import type { KnownGood } from '../../domain/knownGood';
import type { RetryPolicy } from '../../domain/retryPlan';
import { forwardRetry, longestTimerMs, retryingStep } from '../durableSteps';
import type { Flow } from '../durableSteps';
import type { LoopEnd, LoopInput } from '../releaseLoopModel';
import { abortEvent } from '../releaseModel';
import type {
  AbortRequest,
  ReleaseInput,
  ReleaseOutcome,
  ReleasePhase,
  ReleaseStatus,
} from '../releaseModel';
import { auditRetry } from '../auditTrail';
import { requesterOf } from './auditEntries';
import { publishedStatus } from './publishedStatus';

export { StepFailed, forwardRetry } from '../durableSteps';
export type { Flow } from '../durableSteps';

/** Thrown inside a release when its abort event has arrived; the rollback phase takes over. */
export class ReleaseAborted extends Error {
  constructor(readonly request: AbortRequest) {
    super(`aborted by ${request.by}: ${request.reason}`);
  }
}

/**
 * Steps that take a release back: worth trying for minutes longer, since giving up leaves production
 * in doubt and calls a person.
 */
export const rollbackRetry: RetryPolicy = {
  maxAttempts: 8,
  firstDelayMs: 5_000,
  maxDelayMs: 120_000,
  jitter: 0.2,
};

/** What a phase says about an audit entry; the flow adds the id, the target and the release. */
export type AuditNote = Pick<AuditEntry, 'action' | 'by' | 'outcome' | 'detail'> & {
  /** When it happened, in epoch milliseconds; now unless given. */
  at?: number;
};

/** What the release may have changed in Azure, which its rollback must undo. */
export interface ReleaseFootprint {
  /** The slot was pointed at the release's image (and a routing rule may send it users). */
  slotTouched: boolean;
  /** When a swap into production was first asked for: from then on production may run the new image. */
  swapStartedAt?: string;
  /** The long-running operation of that swap, to follow until it settles. */
  swapOperation?: string;
  /** The known-good record as it was before this release wrote its own. */
  knownGoodBefore?: KnownGood;
}

/**
 * The one context every phase of a release shares: the durable context, the input, the status a
 * person reads, what the release has touched, and the abort event. Every step and every wait goes
 * through `call` and `wait`, which check for an abort first: an abort that arrives at any moment
 * stops the release at its next step. Once the release is rolling back, nothing aborts it.
 */
export class ReleaseFlow {
  readonly target: Target;
  readonly footprint: ReleaseFootprint = { slotTouched: false };
  /**
   * What the release adds to its reason however it ends: a known-good record it could not write, the
   * next target's release of an image a rollback took back.
   */
  readonly notes: string[] = [];
  /**
   * Production's counts while it still ran the previous image, pooled over the canary windows in
   * which it served users: what the bake compares the new image in production with.
   */
  productionBeforeSwap: WindowCounts | undefined = undefined;
  #goingForward = true;
  readonly #abort: Task;
  /** Audit entries noted and not yet written. */
  readonly #unwritten: AuditEntry[] = [];
  #auditCount = 0;
  #lastAuditAt = 0;
  #loopCount = 0;

  constructor(
    readonly context: OrchestrationContext,
    readonly input: ReleaseInput,
    readonly status: ReleaseStatus,
  ) {
    this.target = input.target;
    this.#abort = context.df.waitForExternalEvent(abortEvent);
  }

  /** The site and slot the release works on, as activities take them. */
  get where(): { site: Target['site']; slot: string } {
    return { site: this.target.site, slot: this.target.site.slot };
  }

  now(): number {
    return this.context.df.currentUtcDateTime.getTime();
  }

  nowIso(): string {
    return this.context.df.currentUtcDateTime.toISOString();
  }

  /** Shows where the release stands to whoever reads its status. */
  publish(): void {
    this.context.df.setCustomStatus(publishedStatus(this.status));
  }

  enter(phase: ReleasePhase): void {
    this.status.phase = phase;
    this.publish();
  }

  /** Ends the release: nothing after this is interrupted by an abort. */
  end(outcome: ReleaseOutcome, reason: string): ReleaseStatus {
    this.#goingForward = false;
    const told = [reason, ...this.notes].join('; ');
    Object.assign(this.status, { phase: 'done', outcome, reason: told });
    this.publish();
    this.audit({ action: 'release.ended', by: requesterOf(this.input), outcome, detail: told });
    return this.status;
  }

  /** From here on the release only undoes what it did (or has ended); aborts no longer interrupt it. */
  stopGoingForward(): void {
    this.#goingForward = false;
  }

  /** The abort that has arrived, if one has, whether or not the release still heeds it. */
  abortArrived(): AbortRequest | undefined {
    return this.#abort.isCompleted ? (this.#abort.result as AbortRequest) : undefined;
  }

  /** Throws `ReleaseAborted` when an abort has arrived and the release is still going forward. */
  throwIfAborted(): void {
    const request = this.abortArrived();
    if (this.#goingForward && request !== undefined) throw new ReleaseAborted(request);
  }

  /**
   * Runs one activity and returns its result. The abort event is raced alongside, so that it is
   * seen however it arrives; when it wins, the step already in flight still finishes (so nothing is
   * left half done) and the release stops before its next step.
   */
  *call<T>(activity: string, input: unknown): Flow<T> {
    this.throwIfAborted();
    const task = this.context.df.callActivity(activity, input);
    if (!this.#goingForward) return (yield task) as T;
    const first = (yield this.context.df.Task.any([task, this.#abort])) as Task;
    if (first === this.#abort) return (yield task) as T;
    if (task.isFaulted) throw task.result;
    return task.result as T;
  }

  /**
   * Runs an activity that reaches Azure (it answers an `AzureStepResult`), trying again after
   * transient failures, exponentially later with jitter, as `policy` allows. Throws `StepFailed`
   * when it gives up.
   */
  *step<T>(activity: string, input: unknown, policy: RetryPolicy = forwardRetry): Flow<T> {
    return yield* retryingStep<T>(
      this.context,
      {
        call: (name, given) => this.call(name, given),
        wait: (fireAt) => this.wait(fireAt),
        passes: (err) => err instanceof ReleaseAborted,
      },
      activity,
      input,
      policy,
      this.input.releaseId,
    );
  }

  /** Waits on a durable timer until `fireAt`; an abort ends the wait early (unless rolling back). */
  *wait(fireAt: number): Flow {
    this.throwIfAborted();
    const timer = this.context.df.createTimer(new Date(fireAt));
    if (!this.#goingForward) {
      yield timer;
      return;
    }
    const first = (yield this.context.df.Task.any([timer, this.#abort])) as Task;
    if (first === this.#abort) {
      timer.cancel();
      this.throwIfAborted();
    }
  }

  /**
   * Runs a polling loop (`releaseLoop`) as a sub-orchestration from `state`, its first round at
   * `nextAt`, and returns its answer. The abort event is raced alongside: when it wins, the loop is
   * told to stop and the release stops at once, without waiting for the loop's next round.
   */
  *loop<R>(orchestrator: string, state: unknown, nextAt: number): Flow<R> {
    this.throwIfAborted();
    this.#loopCount += 1;
    // Not under the release's id prefix: a loop is not one of the target's releases.
    const instanceId = `releaseLoop:${this.context.df.newGuid(`${this.input.releaseId}:loop:${this.#loopCount}`)}`;
    const input: LoopInput<unknown> = { state, nextAt, seed: this.input.releaseId };
    const task = this.context.df.callSubOrchestrator(orchestrator, input, instanceId);
    const first = (yield this.context.df.Task.any([task, this.#abort])) as Task;
    if (first === this.#abort) {
      yield this.context.df.callActivity(stopReleaseLoopActivity, instanceId);
      this.throwIfAborted();
    }
    if (task.isFaulted) throw task.result;
    const end = task.result as LoopEnd<R>;
    if ('stopped' in end) throw new Error(`the loop ${orchestrator} was stopped from outside its release`);
    return end.done;
  }

  /**
   * Waits for an external event until `deadline`, or an abort; says which came first. A wait longer
   * than a durable timer may be is a chain of shorter timers, each cancelled once it is not needed:
   * Azure splits a timer past 6 days itself, but cancelling one after its first part has fired
   * fails the orchestration as non-deterministic.
   */
  *eventUntil(event: Task, deadline: number): Flow<'event' | 'timeout'> {
    for (;;) {
      this.throwIfAborted();
      const timer = this.context.df.createTimer(new Date(Math.min(deadline, this.now() + longestTimerMs)));
      const first = (yield this.context.df.Task.any([event, timer, this.#abort])) as Task;
      if (first !== timer) {
        timer.cancel();
        this.throwIfAborted();
        return 'event';
      }
      if (this.now() >= deadline) return 'timeout';
    }
  }

  /**
   * Notes an entry of the audit trail, to be written by the next `recordAudit`. Noting costs nothing,
   * so a failing gate or an abort is acted on first and recorded after. Its id is the release's id
   * and a counter, the same on every replay; its time is kept 1 ms after the entry before it, so that
   * entries of one moment keep their order in the trail.
   */
  audit(entry: AuditNote): void {
    const { at = this.now(), ...rest } = entry;
    this.#lastAuditAt = Math.max(at, this.#lastAuditAt + 1);
    this.#auditCount += 1;
    this.#unwritten.push({
      ...rest,
      detail: auditDetail(rest.detail),
      id: `${this.input.releaseId}:${this.#auditCount}`,
      at: new Date(this.#lastAuditAt).toISOString(),
      subject: { kind: 'target', name: this.target.name },
      operation: { kind: 'release', id: this.input.releaseId },
    });
  }

  /**
   * Writes the entries noted so far, best effort: one that cannot be written after a few tries is
   * dropped (the activity logs why), and nothing else in the release changes. An abort that arrives
   * first still stops the release here, as at any step; the entries are kept for the next write.
   */
  *recordAudit(): Flow {
    const entries = [...this.#unwritten];
    if (entries.length === 0) return;
    try {
      yield* this.step(recordAuditActivity, entries, auditRetry);
    } catch (err) {
      if (err instanceof ReleaseAborted) throw err;
    }
    this.#unwritten.splice(0, entries.length);
  }
}
