import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { FunctionsCore, RegisteredFunction } from '../functionsCore';
import { fromTypedData, invokeFunction, InvocationError, jsonData } from '../invoke';
import type { InvocationInput } from '../invoke';
import type { RpcInvocationResponse } from '../rpc';
import { log } from '../log';
import type { OrchestratorReply } from './actions';
import { beginEpisode } from './episode';
import { endInstance, finishEpisode } from './finishEpisode';
import type { ReplayOutcome } from './finishEpisode';
import { failureDetailsOf } from './history';
import { terminalStatuses } from './instanceState';
import type { InstanceState, Message, Work } from './instanceState';
import { timerLimitsPayload } from './longTimers';
import type { InstanceStore } from './store';
import { noVersioning, versionVerdict } from './versioning';
import type { VersionPolicy } from './versioning';

export interface StartOptions {
  instanceId?: string;
  input?: unknown;
  /** The orchestration version; the host's `defaultVersion` otherwise. */
  version?: string;
}

export type StartResult = { started: string } | { conflict: string } | { unknownFunction: string };

/** Which existing instances a new start with the same id may replace (host.json `overridableExistingInstanceStates`). */
export type OverridableStates = 'AnyState' | 'NonRunningStates';

/** Runs an activity function; the host's own invoker adds the input bindings it asks for (a durable client). */
export type ActivityInvoker = (
  fn: RegisteredFunction,
  input: InvocationInput,
) => Promise<RpcInvocationResponse>;

const outOfProcDataLabel = '\n\n$OutOfProcData$:';

/**
 * The local stand-in for the Durable Task extension: runs orchestrations by replaying their history
 * through the app's own orchestrator functions, runs activities, fires durable timers on the host clock,
 * and keeps every instance on disk so a restarted host carries on where it stopped.
 */
export class DurableEngine {
  readonly #instances = new Map<string, InstanceState>();
  readonly #queues = new Map<string, Promise<void>>();
  readonly #armedTimers = new Map<string, () => void>();
  readonly #runningActivities = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();
  /** Instances this worker has left to a worker of their version, so the log says so once. */
  readonly #rejected = new Set<string>();
  #stopped = false;

  constructor(
    private readonly core: FunctionsCore,
    private readonly store: InstanceStore,
    private readonly clock: Clock,
    private readonly overridable: OverridableStates = 'AnyState',
    private readonly invokeActivity: ActivityInvoker = (fn, input) => invokeFunction(core, fn, input),
    private readonly versions: VersionPolicy = noVersioning,
  ) {}

  /** Loads the stored instances and resumes whatever they were doing. */
  resume(): void {
    for (const state of this.store.loadAll()) this.#instances.set(state.instanceId, state);
    for (const state of this.#instances.values()) this.#afterChange(state);
  }

  /** Stops dispatching; in-flight work is abandoned and will be redone by the next host from disk. */
  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#armedTimers.values()) cancel();
    this.#armedTimers.clear();
  }

  /** Resolves once no episode or activity is running (timers may still be pending). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** The time on the host's clock. */
  now(): number {
    return this.clock.now();
  }

  get(instanceId: string): InstanceState | undefined {
    return this.#instances.get(instanceId);
  }

  list(): InstanceState[] {
    return [...this.#instances.values()];
  }

  startNew(name: string, options: StartOptions = {}): StartResult {
    const fn = this.core.functions.get(name);
    if (!fn || fn.trigger.type !== 'orchestrationTrigger') return { unknownFunction: name };
    const instanceId = options.instanceId ?? randomUUID().replaceAll('-', '');
    const existing = this.#instances.get(instanceId);
    if (
      existing &&
      this.overridable === 'NonRunningStates' &&
      !terminalStatuses.has(existing.runtimeStatus)
    ) {
      return { conflict: instanceId };
    }
    this.#create(instanceId, name, options.input, options.version ?? this.versions.defaultVersion);
    return { started: instanceId };
  }

  /** Raises an event; false when the instance does not exist, 'ended' when it has finished. */
  raiseEvent(instanceId: string, name: string, input: string | null): 'raised' | 'missing' | 'ended' {
    return this.#signal(instanceId, { kind: 'EventRaised', name, input });
  }

  terminate(instanceId: string, reason: string): 'raised' | 'missing' | 'ended' {
    return this.#signal(instanceId, { kind: 'Terminate', reason });
  }

  /**
   * Deletes a finished instance: its history, its state file and any timer still armed for it, as the
   * task hub's purge deletes its history, instance and timer rows. Running instances are kept.
   */
  purge(instanceId: string): boolean {
    const state = this.#instances.get(instanceId);
    if (!state || !terminalStatuses.has(state.runtimeStatus)) return false;
    this.#instances.delete(instanceId);
    this.store.delete(instanceId);
    const timers = `${instanceId}|${state.executionId}|`;
    for (const [key, cancel] of this.#armedTimers) {
      if (!key.startsWith(timers)) continue;
      cancel();
      this.#armedTimers.delete(key);
    }
    return true;
  }

  #create(
    instanceId: string,
    name: string,
    input: unknown,
    version: string | undefined,
    parent?: InstanceState['parent'],
  ): void {
    const now = new Date(this.clock.now()).toISOString();
    const executionId = randomUUID();
    const state: InstanceState = {
      instanceId,
      name,
      ...(version !== undefined ? { version } : {}),
      executionId,
      runtimeStatus: 'Pending',
      input: input ?? null,
      output: null,
      customStatus: null,
      createdTime: now,
      lastUpdatedTime: now,
      ...(parent ? { parent } : {}),
      history: [],
      inbox: [{ kind: 'ExecutionStarted', executionId, input: input ?? null }],
      outstanding: [],
      nextSequence: 0,
      actionSignatures: [],
      actionTaskIds: [],
    };
    this.#commit(state);
  }

  #signal(instanceId: string, message: Message): 'raised' | 'missing' | 'ended' {
    const state = this.#instances.get(instanceId);
    if (!state) return 'missing';
    if (terminalStatuses.has(state.runtimeStatus)) return 'ended';
    this.#deliver(instanceId, message);
    return 'raised';
  }

  #deliver(instanceId: string, message: Message): void {
    const state = this.#instances.get(instanceId);
    if (!state || this.#stopped) return;
    this.#commit({ ...state, inbox: [...state.inbox, message] });
  }

  #commit(state: InstanceState): void {
    this.store.save(state);
    this.#instances.set(state.instanceId, state);
    this.#afterChange(state);
  }

  /** Brings the live world in line with a stored state: episodes to run, work to start, timers to arm. */
  #afterChange(state: InstanceState): void {
    if (this.#stopped) return;
    if (state.inbox.length > 0) this.#schedule(state.instanceId);
    this.#reconcileTimers(state);
    this.#forgetFinishedActivities(state);
    for (const work of state.outstanding) {
      if (work.kind === 'activity') this.#startActivity(state, work);
      if (work.kind === 'subOrchestration') this.#startSubOrchestration(state, work);
    }
    if (terminalStatuses.has(state.runtimeStatus)) this.#notifyParent(state);
  }

  #schedule(instanceId: string): void {
    const previous = this.#queues.get(instanceId) ?? Promise.resolve();
    const next = previous.then(() => this.#drain(instanceId));
    this.#queues.set(instanceId, next);
    this.#track(next);
  }

  async #drain(instanceId: string): Promise<void> {
    for (;;) {
      const state = this.#instances.get(instanceId);
      const message = state?.inbox[0];
      if (!state || !message || this.#stopped) return;
      const now = this.clock.now();
      if (message.kind !== 'Terminate' && !this.#mayRun(state, now)) return;
      const start = beginEpisode(state, message, now);
      const next = start.replay
        ? finishEpisode(start, await this.#replay(start.state, start.newEvents), this.clock.now())
        : start.state;
      const current = this.#stillCurrent(state);
      if (!current) return;
      // Messages that arrived while the orchestrator ran wait for the next episode.
      this.#commit({ ...next, inbox: [...next.inbox, ...current.inbox.slice(state.inbox.length)] });
      if (next.runtimeStatus !== state.runtimeStatus) {
        log({
          level: 'information',
          category: 'system',
          message: `Orchestration ${instanceId} (${next.name}) is ${next.runtimeStatus}.`,
        });
      }
    }
  }

  /**
   * Whether this worker may run the instance's next episode under host.json's version strategy. One
   * it must not run is left in place for a worker of its version (`Reject`) or failed (`Fail`);
   * terminating is always allowed, so a person can stop what no worker here may run.
   */
  #mayRun(state: InstanceState, now: number): boolean {
    const verdict = versionVerdict(this.versions, state.version);
    if (verdict === 'run') return true;
    const mismatch = `The orchestration version '${state.version ?? ''}' does not match this worker's version '${this.versions.defaultVersion ?? ''}' (${this.versions.match}).`;
    if (verdict === 'fail') {
      const failure = { ErrorType: 'VersionMismatch', ErrorMessage: mismatch };
      this.#commit({ ...endInstance(state, 'Failed', mismatch, now, []), inbox: [], failure });
    } else if (!this.#rejected.has(state.instanceId)) {
      this.#rejected.add(state.instanceId);
      log({
        level: 'warning',
        category: 'system',
        message: `Orchestration ${state.instanceId} left for another worker: ${mismatch}`,
      });
    }
    return false;
  }

  /**
   * The instance as it is now, unless the host stopped, or the instance was purged or started anew,
   * while an episode of `episodeStart` ran: then that episode is void.
   */
  #stillCurrent(episodeStart: InstanceState): InstanceState | undefined {
    const current = this.#instances.get(episodeStart.instanceId);
    if (this.#stopped || !current) return undefined;
    const same =
      current.executionId === episodeStart.executionId && current.createdTime === episodeStart.createdTime;
    return same ? current : undefined;
  }

  async #replay(state: InstanceState, newEvents: InstanceState['history']): Promise<ReplayOutcome> {
    const fn = this.core.functions.get(state.name);
    if (!fn)
      return { failure: { ErrorType: 'Error', ErrorMessage: `The function '${state.name}' doesn't exist.` } };
    const history = [...state.history.map((e) => ({ ...e, IsPlayed: true })), ...newEvents];
    const payload = {
      history,
      input: state.input,
      instanceId: state.instanceId,
      isReplaying: state.history.length > 0,
      parentInstanceId: state.parent?.instanceId ?? '',
      // As the extension offers them (OrchestrationTriggerAttributeBindingProvider.cs): SchemaVersion.V2
      // for older libraries, V3 (long timers split by the host) for the rest.
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 2,
      ...timerLimitsPayload,
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    try {
      const response = await invokeFunction(this.core, fn, { trigger: jsonData(payload) });
      return { reply: fromTypedData(response.returnValue) as OrchestratorReply };
    } catch (err) {
      const cause = err instanceof InvocationError ? err.cause : err;
      const message = cause instanceof Error ? cause.message : String(cause);
      const cut = message.indexOf(outOfProcDataLabel);
      if (cut < 0) {
        log({
          level: 'error',
          category: 'host',
          message: `Orchestrator failed: ${message}`,
          functionName: state.name,
        });
        return { failure: failureDetailsOf(cause) };
      }
      // durable-functions puts the orchestrator's own error in the state it appends to the message.
      const embedded = JSON.parse(message.slice(cut + outOfProcDataLabel.length)) as OrchestratorReply;
      const details = failureDetailsOf(cause);
      const reason = embedded.error ?? message.slice(0, cut);
      log({
        level: 'error',
        category: 'host',
        message: `Orchestration ${state.instanceId} failed: ${reason}`,
        functionName: state.name,
      });
      return { reply: embedded, failure: { ...details, ErrorMessage: reason } };
    }
  }

  /**
   * Runs an activity unless it runs already or its result waits in the inbox. It stays marked as
   * running until an episode takes its result, so it is never started twice by one host.
   */
  #startActivity(state: InstanceState, work: Extract<Work, { kind: 'activity' }>): void {
    const key = activityKey(state, work.taskId);
    const answered = state.inbox.some(
      (m) =>
        (m.kind === 'TaskCompleted' || m.kind === 'TaskFailed') &&
        m.executionId === state.executionId &&
        m.taskId === work.taskId,
    );
    if (this.#runningActivities.has(key) || answered) return;
    this.#runningActivities.add(key);
    const { instanceId, executionId } = state;
    this.#track(
      this.#runActivity(work).then((message) =>
        this.#deliver(instanceId, { ...message, executionId, taskId: work.taskId }),
      ),
    );
  }

  #forgetFinishedActivities(state: InstanceState): void {
    const current = new Set(
      state.outstanding.filter((w) => w.kind === 'activity').map((w) => activityKey(state, w.taskId)),
    );
    for (const key of this.#runningActivities) {
      if (key.startsWith(`${state.instanceId}|`) && !current.has(key)) this.#runningActivities.delete(key);
    }
  }

  async #runActivity(
    work: Extract<Work, { kind: 'activity' }>,
  ): Promise<
    | { kind: 'TaskCompleted'; result: string }
    | { kind: 'TaskFailed'; failure: ReturnType<typeof failureDetailsOf> }
  > {
    const fn: RegisteredFunction | undefined = this.core.functions.get(work.name);
    if (!fn || fn.trigger.type !== 'activityTrigger') {
      return {
        kind: 'TaskFailed',
        failure: { ErrorType: 'Error', ErrorMessage: `The activity function '${work.name}' doesn't exist.` },
      };
    }
    try {
      const response = await this.invokeActivity(fn, { trigger: { json: work.input } });
      return { kind: 'TaskCompleted', result: JSON.stringify(fromTypedData(response.returnValue) ?? null) };
    } catch (err) {
      const cause = err instanceof InvocationError ? err.cause : err;
      const failure = failureDetailsOf(cause);
      log({
        level: 'warning',
        category: 'host',
        message: `Activity failed: ${failure.ErrorMessage}`,
        functionName: work.name,
      });
      return {
        kind: 'TaskFailed',
        failure: {
          ...failure,
          ErrorMessage: `Activity function '${work.name}' failed: ${failure.ErrorMessage}`,
        },
      };
    }
  }

  #startSubOrchestration(parent: InstanceState, work: Extract<Work, { kind: 'subOrchestration' }>): void {
    const child = this.#instances.get(work.instanceId);
    const link = { instanceId: parent.instanceId, executionId: parent.executionId, taskId: work.taskId };
    if (child?.parent && child.parent.executionId === link.executionId && child.parent.taskId === link.taskId)
      return;
    const fn = this.core.functions.get(work.name);
    if (!fn || fn.trigger.type !== 'orchestrationTrigger') {
      this.#deliver(parent.instanceId, {
        kind: 'SubOrchestrationFailed',
        executionId: parent.executionId,
        taskId: work.taskId,
        failure: {
          ErrorType: 'Error',
          ErrorMessage: `The orchestrator function '${work.name}' doesn't exist.`,
        },
      });
      return;
    }
    const version = work.version ?? this.versions.defaultVersion;
    this.#create(work.instanceId, work.name, JSON.parse(work.input), version, link);
  }

  /** Tells a waiting parent orchestration how its sub-orchestration ended (again after a restart, if need be). */
  #notifyParent(child: InstanceState): void {
    const link = child.parent;
    if (!link) return;
    const parent = this.#instances.get(link.instanceId);
    if (!parent || parent.executionId !== link.executionId) return;
    const waiting = parent.outstanding.some(
      (w) => w.kind === 'subOrchestration' && w.taskId === link.taskId && w.instanceId === child.instanceId,
    );
    const alreadyTold = parent.inbox.some(
      (m) =>
        (m.kind === 'SubOrchestrationCompleted' || m.kind === 'SubOrchestrationFailed') &&
        m.taskId === link.taskId,
    );
    if (!waiting || alreadyTold) return;
    const base = { executionId: link.executionId, taskId: link.taskId };
    const message: Message =
      child.runtimeStatus === 'Completed'
        ? { kind: 'SubOrchestrationCompleted', ...base, result: JSON.stringify(child.output ?? null) }
        : {
            kind: 'SubOrchestrationFailed',
            ...base,
            failure: child.failure ?? {
              ErrorType: 'Error',
              ErrorMessage: `Sub-orchestration ${child.instanceId} was ${child.runtimeStatus.toLowerCase()}.`,
            },
          };
    this.#deliver(parent.instanceId, message);
  }

  /** Arms the timers the instance waits for, except those whose firing already waits in the inbox. */
  #reconcileTimers(state: InstanceState): void {
    const prefix = `${state.instanceId}|`;
    const fired = new Set(
      state.inbox.flatMap((m) =>
        m.kind === 'TimerFired' && m.executionId === state.executionId ? [m.timerId] : [],
      ),
    );
    const wanted = new Map<string, Extract<Work, { kind: 'timer' }>>();
    for (const work of state.outstanding) {
      if (work.kind === 'timer' && !fired.has(work.timerId)) {
        wanted.set(`${prefix}${state.executionId}|${work.timerId}`, work);
      }
    }
    for (const [key, cancel] of this.#armedTimers) {
      if (key.startsWith(prefix) && !wanted.has(key)) {
        cancel();
        this.#armedTimers.delete(key);
      }
    }
    for (const [key, timer] of wanted) {
      if (this.#armedTimers.has(key)) continue;
      const { instanceId, executionId } = state;
      this.#armedTimers.set(
        key,
        this.clock.schedule(Date.parse(timer.fireAt), () => {
          this.#armedTimers.delete(key);
          this.#deliver(instanceId, {
            kind: 'TimerFired',
            executionId,
            timerId: timer.timerId,
            fireAt: timer.fireAt,
          });
        }),
      );
    }
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((err: unknown) => {
      log({
        level: 'error',
        category: 'system',
        message: `Durable engine error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      });
    });
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }
}

function activityKey(state: InstanceState, taskId: number): string {
  return `${state.instanceId}|${state.executionId}|${taskId}`;
}
