import { ActionType, activityInputJson, signatureOf, takesTaskId } from './actions';
import type { RawAction } from './actions';
import { EventType, historyEvent } from './history';
import type { FailureDetails, HistoryEvent } from './history';
import type { InstanceState, Work } from './instanceState';
import { firstSubTimerAt } from './longTimers';

/** What the actions of one reply changed, or why they cannot be carried out. */
export type AppliedActions =
  | { state: InstanceState; scheduled: HistoryEvent[]; continueAsNew?: { input: unknown } }
  | { failure: FailureDetails };

const unsupportedActions = new Set([
  ActionType.CallEntity,
  ActionType.SignalEntity,
  ActionType.LockEntities,
  ActionType.ReleaseEntities,
  ActionType.CallHttp,
]);

/**
 * Carries out the actions of one orchestrator reply. Every replay returns all actions so far: those
 * seen before must be the same as before, and may have cancelled a timer since; the rest are new work,
 * given task ids in order. `state` is the episode's own copy and is updated in place.
 */
export function applyActions(state: InstanceState, actions: RawAction[], now: number): AppliedActions {
  const known = state.actionSignatures.length;
  for (let i = 0; i < Math.min(known, actions.length); i++) {
    const action = actions[i] as RawAction;
    const expected = state.actionSignatures[i] ?? '';
    if (signatureOf(action) !== expected)
      return { failure: nonDeterminism(i, expected, signatureOf(action)) };
    if (action.actionType === ActionType.CreateTimer && action.isCanceled) {
      const failure = cancelTimer(state, i);
      if (failure) return { failure };
    }
  }

  const scheduled: HistoryEvent[] = [];
  let continueAsNew: { input: unknown } | undefined;
  for (const [offset, action] of actions.slice(known).entries()) {
    if (unsupportedActions.has(action.actionType)) return { failure: unsupported(action) };
    const taskId = takesTaskId(action) ? state.nextSequence++ : null;
    state.actionSignatures = [...state.actionSignatures, signatureOf(action)];
    state.actionTaskIds = [...state.actionTaskIds, taskId];
    if (action.actionType === ActionType.ContinueAsNew) {
      continueAsNew = { input: typeof action.input === 'string' ? JSON.parse(action.input) : action.input };
    }
    if (taskId === null) continue;
    const work = workFor(action, taskId, known + offset, state.instanceId, now);
    scheduled.push(
      work.kind === 'timer'
        ? historyEvent(EventType.TimerCreated, now, { FireAt: work.fireAt }, taskId)
        : scheduledEvent(work, now),
    );
    if (!(work.kind === 'timer' && action.isCanceled)) state.outstanding = [...state.outstanding, work];
  }
  return { state, scheduled, ...(continueAsNew ? { continueAsNew } : {}) };
}

/**
 * Drops the timer of action `index`. A chained timer can be cancelled only while its first sub-timer
 * waits: the extension replays a cancelled timer as its first sub-timer alone, so the later sub-timers
 * in the history match nothing and Durable Task fails the instance as non-deterministic.
 */
function cancelTimer(state: InstanceState, index: number): FailureDetails | undefined {
  const firstId = state.actionTaskIds[index];
  const timers = state.outstanding.filter(
    (w) => w.kind === 'timer' && (w.action === index || w.timerId === firstId),
  );
  const later = timers.find((w) => w.kind === 'timer' && w.timerId !== firstId);
  if (later?.kind === 'timer') {
    return {
      ErrorType: 'NonDeterministicOrchestrationException',
      ErrorMessage:
        `Non-Deterministic workflow detected: A previous execution of this orchestration scheduled a timer task ` +
        `with sequence number ${String(later.timerId)} but the current replay execution hasn't (yet?) scheduled ` +
        `this task. (A timer longer than 6 days was cancelled after its first 3-day step had fired.)`,
    };
  }
  state.outstanding = state.outstanding.filter((w) => !timers.includes(w));
  return undefined;
}

function workFor(action: RawAction, taskId: number, index: number, instanceId: string, now: number): Work {
  const retry = action.retryOptions
    ? { policy: action.retryOptions, attempt: 1, firstAttemptAt: now }
    : undefined;
  switch (action.actionType) {
    case ActionType.CreateTimer: {
      const fireAt = action.fireAt === undefined ? now : Date.parse(action.fireAt);
      const first = firstSubTimerAt(fireAt, now);
      return {
        kind: 'timer',
        timerId: taskId,
        fireAt: new Date(first).toISOString(),
        action: index,
        ...(first === fireAt ? {} : { chainEnd: new Date(fireAt).toISOString() }),
      };
    }
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return {
        kind: 'subOrchestration',
        taskId,
        name: action.functionName ?? '',
        instanceId: action.instanceId ?? `${instanceId}:${String(taskId)}`,
        input: JSON.stringify(action.input ?? null),
        ...(action.version ? { version: action.version } : {}),
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

/** The history event that records scheduling an activity or a sub-orchestration. */
export function scheduledEvent(work: Exclude<Work, { kind: 'timer' }>, now: number): HistoryEvent {
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

function nonDeterminism(index: number, expected: string, actual: string): FailureDetails {
  return {
    ErrorType: 'NonDeterministicOrchestrationException',
    ErrorMessage: `Non-Deterministic workflow detected: action ${String(index)} was ${expected} in an earlier replay and is now ${actual}.`,
  };
}

function unsupported(action: RawAction): FailureDetails {
  return {
    ErrorType: 'NotSupportedError',
    ErrorMessage: `The local host does not support ${ActionType[action.actionType]} actions.`,
  };
}
