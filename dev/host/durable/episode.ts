import { randomUUID } from 'node:crypto';
import {
  ActionType,
  activityInputJson,
  flattenActions,
  retryDelayMs,
  signatureOf,
  takesTaskId,
} from './actions';
import type { OrchestratorReply, RawAction } from './actions';
import { EventType, historyEvent } from './history';
import type { FailureDetails, HistoryEvent } from './history';
import { terminalStatuses } from './instanceState';
import type { InstanceState, Message, Work } from './instanceState';

/**
 * One orchestration episode is: take the next message, turn it into history events, replay the
 * orchestrator over the whole history, and turn the actions it returns into new work. These functions
 * are the parts of that without I/O; `DurableEngine` runs the orchestrator between them.
 */
export interface EpisodeStart {
  state: InstanceState;
  /** Events this episode adds; the orchestrator sees them as not yet played. */
  newEvents: HistoryEvent[];
  /** False when the message needs no replay (stale, duplicate, or it ended the instance). */
  replay: boolean;
}

export function beginEpisode(current: InstanceState, message: Message, now: number): EpisodeStart {
  const state: InstanceState = {
    ...current,
    inbox: current.inbox.slice(1),
    lastUpdatedTime: new Date(now).toISOString(),
  };
  const started = historyEvent(EventType.OrchestratorStarted, now);
  const skip = { state, newEvents: [], replay: false };

  if (terminalStatuses.has(current.runtimeStatus)) return skip;

  switch (message.kind) {
    case 'ExecutionStarted': {
      if (message.executionId !== current.executionId) return skip;
      state.runtimeStatus = 'Running';
      const executionStarted = historyEvent(EventType.ExecutionStarted, now, {
        Name: current.name,
        Input: JSON.stringify(message.input ?? null),
        OrchestrationInstance: { InstanceId: current.instanceId, ExecutionId: current.executionId },
        ParentInstance: current.parent
          ? { OrchestrationInstance: { InstanceId: current.parent.instanceId } }
          : null,
      });
      return { state, newEvents: [started, executionStarted], replay: true };
    }
    case 'Terminate':
      return {
        state: endInstance(state, 'Terminated', message.reason, now, [
          started,
          historyEvent(EventType.ExecutionTerminated, now, { Input: message.reason }),
        ]),
        newEvents: [],
        replay: false,
      };
    case 'EventRaised':
      return {
        state,
        newEvents: [
          started,
          historyEvent(EventType.EventRaised, now, { Name: message.name, Input: message.input }),
        ],
        replay: true,
      };
    default:
      return beginCompletion(state, message, now, started);
  }
}

type Completion = Extract<
  Message,
  { executionId: string; kind: Exclude<Message['kind'], 'ExecutionStarted'> }
>;

function beginCompletion(
  state: InstanceState,
  message: Completion,
  now: number,
  started: HistoryEvent,
): EpisodeStart {
  const id = message.kind === 'TimerFired' ? message.timerId : message.taskId;
  const work = state.outstanding.find((w) => (w.kind === 'timer' ? w.timerId : w.taskId) === id);
  if (message.executionId !== state.executionId || !work) return { state, newEvents: [], replay: false };
  state.outstanding = state.outstanding.filter((w) => w !== work);
  const newEvents = [started, completionEvent(message, now)];

  if (
    (message.kind === 'TaskFailed' || message.kind === 'SubOrchestrationFailed') &&
    work.kind !== 'timer' &&
    work.retry
  ) {
    // The orchestrator library waits on a timer after every failed attempt, the last one included.
    const timerId = state.nextSequence++;
    const fireAt = new Date(now + retryDelayMs(work.retry.policy, work.retry.attempt)).toISOString();
    newEvents.push(historyEvent(EventType.TimerCreated, now, { FireAt: fireAt }, timerId));
    state.outstanding = [...state.outstanding, { kind: 'timer', timerId, fireAt, retryOf: work }];
  } else if (work.kind === 'timer' && work.retryOf?.retry) {
    const previous = work.retryOf;
    const retry = previous.retry;
    if (retry && retry.attempt < retry.policy.maxNumberOfAttempts && !retryTimedOut(retry, now)) {
      const taskId = state.nextSequence++;
      const next = { ...previous, taskId, retry: { ...retry, attempt: retry.attempt + 1 } };
      if (next.kind === 'subOrchestration' && next.instanceId === `${state.instanceId}:${previous.taskId}`) {
        next.instanceId = `${state.instanceId}:${taskId}`;
      }
      newEvents.push(scheduledEvent(next, now));
      state.outstanding = [...state.outstanding, next];
    }
  }
  return { state, newEvents, replay: true };
}

function retryTimedOut(
  retry: NonNullable<Extract<Work, { kind: 'activity' }>['retry']>,
  now: number,
): boolean {
  const limit = retry.policy.retryTimeoutInMilliseconds;
  return limit !== undefined && limit > 0 && now - retry.firstAttemptAt > limit;
}

function completionEvent(message: Completion, now: number): HistoryEvent {
  switch (message.kind) {
    case 'TaskCompleted':
      return historyEvent(EventType.TaskCompleted, now, {
        TaskScheduledId: message.taskId,
        Result: message.result,
      });
    case 'TaskFailed':
      return historyEvent(EventType.TaskFailed, now, failureFields(message.taskId, message.failure));
    case 'SubOrchestrationCompleted':
      return historyEvent(EventType.SubOrchestrationInstanceCompleted, now, {
        TaskScheduledId: message.taskId,
        Result: message.result,
      });
    case 'SubOrchestrationFailed':
      return historyEvent(
        EventType.SubOrchestrationInstanceFailed,
        now,
        failureFields(message.taskId, message.failure),
      );
    case 'TimerFired':
      return historyEvent(EventType.TimerFired, now, { TimerId: message.timerId, FireAt: message.fireAt });
  }
}

function failureFields(taskId: number, failure: FailureDetails): Record<string, unknown> {
  return {
    TaskScheduledId: taskId,
    Reason: failure.ErrorMessage,
    Details: failure.StackTrace ?? '',
    FailureDetails: failure,
  };
}

function scheduledEvent(work: Exclude<Work, { kind: 'timer' }>, now: number): HistoryEvent {
  if (work.kind === 'activity') {
    return historyEvent(EventType.TaskScheduled, now, { Name: work.name, Input: work.input }, work.taskId);
  }
  return historyEvent(
    EventType.SubOrchestrationInstanceCreated,
    now,
    { Name: work.name, InstanceId: work.instanceId, Input: work.input },
    work.taskId,
  );
}

/** The orchestrator's reply, or why it failed. */
export type ReplayOutcome =
  { reply: OrchestratorReply } | { failure: FailureDetails; customStatus?: unknown };

/** Applies what the orchestrator decided: new tasks, timers and sub-orchestrations, or the end. */
export function finishEpisode(start: EpisodeStart, outcome: ReplayOutcome, now: number): InstanceState {
  const state: InstanceState = {
    ...start.state,
    history: [...start.state.history.map((e) => ({ ...e, IsPlayed: true })), ...start.newEvents],
  };
  if ('failure' in outcome) {
    if (outcome.customStatus !== undefined) state.customStatus = outcome.customStatus;
    return failInstance(state, outcome.failure, now);
  }
  const { reply } = outcome;
  state.customStatus = reply.customStatus ?? null;
  const actions = flattenActions(reply);
  const known = state.actionSignatures.length;
  for (let i = 0; i < Math.min(known, actions.length); i++) {
    const action = actions[i] as RawAction;
    if (signatureOf(action) !== state.actionSignatures[i]) {
      return failInstance(
        state,
        nonDeterminism(i, state.actionSignatures[i] ?? '', signatureOf(action)),
        now,
      );
    }
    const taskId = state.actionTaskIds[i];
    if (
      action.actionType === ActionType.CreateTimer &&
      action.isCanceled &&
      taskId !== null &&
      taskId !== undefined
    ) {
      state.outstanding = state.outstanding.filter((w) => !(w.kind === 'timer' && w.timerId === taskId));
    }
  }

  const scheduled: HistoryEvent[] = [];
  let continueAsNewInput: { value: unknown } | undefined;
  for (const action of actions.slice(known)) {
    if (unsupportedActions.has(action.actionType)) {
      return failInstance(state, unsupported(action), now);
    }
    const taskId = takesTaskId(action) ? state.nextSequence++ : null;
    state.actionSignatures = [...state.actionSignatures, signatureOf(action)];
    state.actionTaskIds = [...state.actionTaskIds, taskId];
    if (action.actionType === ActionType.ContinueAsNew) {
      continueAsNewInput = {
        value: typeof action.input === 'string' ? JSON.parse(action.input) : action.input,
      };
    }
    if (taskId === null) continue;
    const work = workFor(action, taskId, state.instanceId, now);
    scheduled.push(
      work.kind === 'timer'
        ? historyEvent(EventType.TimerCreated, now, { FireAt: work.fireAt }, taskId)
        : scheduledEvent(work, now),
    );
    if (!(work.kind === 'timer' && action.isCanceled)) state.outstanding = [...state.outstanding, work];
  }
  state.history = [...state.history, ...scheduled, historyEvent(EventType.OrchestratorCompleted, now)];

  if (!reply.isDone) return state;
  if (continueAsNewInput) return continueAsNew(state, continueAsNewInput.value);
  return endInstance(state, 'Completed', reply.output ?? null, now, []);
}

const unsupportedActions = new Set([
  ActionType.CallEntity,
  ActionType.SignalEntity,
  ActionType.LockEntities,
  ActionType.ReleaseEntities,
  ActionType.CallHttp,
]);

function workFor(action: RawAction, taskId: number, instanceId: string, now: number): Work {
  const retry = action.retryOptions
    ? { policy: action.retryOptions, attempt: 1, firstAttemptAt: now }
    : undefined;
  switch (action.actionType) {
    case ActionType.CreateTimer:
      return { kind: 'timer', timerId: taskId, fireAt: new Date(action.fireAt ?? now).toISOString() };
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return {
        kind: 'subOrchestration',
        taskId,
        name: action.functionName ?? '',
        instanceId: action.instanceId ?? `${instanceId}:${taskId}`,
        input: JSON.stringify(action.input ?? null),
        ...(retry ? { retry } : {}),
      };
    default:
      return {
        kind: 'activity',
        taskId,
        name: action.functionName ?? '',
        input: activityInputJson(action),
        ...(retry ? { retry } : {}),
      };
  }
}

function continueAsNew(state: InstanceState, input: unknown): InstanceState {
  const executionId = randomUUID();
  return {
    ...state,
    executionId,
    runtimeStatus: 'Running',
    input,
    history: [],
    outstanding: [],
    nextSequence: 0,
    actionSignatures: [],
    actionTaskIds: [],
    // Events raised for the instance carry over to the new execution; results for the old one do not.
    inbox: [
      { kind: 'ExecutionStarted', executionId, input },
      ...state.inbox.filter((m) => m.kind === 'EventRaised'),
    ],
  };
}

function failInstance(state: InstanceState, failure: FailureDetails, now: number): InstanceState {
  const ended = endInstance(
    state,
    'Failed',
    `Orchestrator function '${state.name}' failed: ${failure.ErrorMessage}`,
    now,
    [],
  );
  return { ...ended, failure };
}

function endInstance(
  state: InstanceState,
  status: 'Completed' | 'Failed' | 'Terminated',
  output: unknown,
  now: number,
  events: HistoryEvent[],
): InstanceState {
  const completed = historyEvent(EventType.ExecutionCompleted, now, {
    OrchestrationStatus: status,
    Result: JSON.stringify(output),
  });
  return {
    ...state,
    runtimeStatus: status,
    output,
    outstanding: [],
    history: [...state.history, ...events, completed],
    lastUpdatedTime: new Date(now).toISOString(),
  };
}

function nonDeterminism(index: number, expected: string, actual: string): FailureDetails {
  return {
    ErrorType: 'NonDeterministicOrchestrationError',
    ErrorMessage: `Non-deterministic workflow detected: action ${index} was ${expected} in an earlier replay and is now ${actual}.`,
  };
}

function unsupported(action: RawAction): FailureDetails {
  return {
    ErrorType: 'NotSupportedError',
    ErrorMessage: `The local host does not support ${ActionType[action.actionType]} actions.`,
  };
}
