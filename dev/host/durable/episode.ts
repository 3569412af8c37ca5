import { retryDelayMs } from './actions';
import { scheduledEvent } from './applyActions';
import { endInstance } from './finishEpisode';
import { EventType, historyEvent } from './history';
import type { FailureDetails, HistoryEvent } from './history';
import { terminalStatuses } from './instanceState';
import type { InstanceState, Message, Work } from './instanceState';
import { nextSubTimerAt } from './longTimers';

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
        // durable-functions reads `context.df.version` from here.
        ...(current.version !== undefined ? { Version: current.version } : {}),
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
  const newEvents = [started, completionEvent(message, now), ...followUp(state, work, message, now)];
  return { state, newEvents, replay: true };
}

/**
 * Work the host itself starts when `work` ends, as the Durable extension does: the wait after a failed
 * attempt of a call with retries, the next attempt after that wait, the next timer of a timer chain.
 */
function followUp(state: InstanceState, work: Work, message: Completion, now: number): HistoryEvent[] {
  if ((message.kind === 'TaskFailed' || message.kind === 'SubOrchestrationFailed') && work.kind !== 'timer') {
    // The orchestrator library waits on a timer after every failed attempt, the last one included.
    if (!work.retry) return [];
    const timerId = state.nextSequence++;
    const fireAt = new Date(now + retryDelayMs(work.retry.policy, work.retry.attempt)).toISOString();
    state.outstanding = [...state.outstanding, { kind: 'timer', timerId, fireAt, retryOf: work }];
    return [historyEvent(EventType.TimerCreated, now, { FireAt: fireAt }, timerId)];
  }
  if (work.kind !== 'timer') return [];
  if (work.chainEnd !== undefined) {
    const next = nextSubTimerAt(Date.parse(work.chainEnd), now);
    if (next === undefined) return [];
    const timerId = state.nextSequence++;
    const fireAt = new Date(next).toISOString();
    state.outstanding = [...state.outstanding, { ...work, timerId, fireAt }];
    return [historyEvent(EventType.TimerCreated, now, { FireAt: fireAt }, timerId)];
  }
  const previous = work.retryOf;
  const retry = previous?.retry;
  if (!previous || !retry) return [];
  if (retry.attempt >= retry.policy.maxNumberOfAttempts || retryTimedOut(retry, now)) return [];
  const taskId = state.nextSequence++;
  const next = { ...previous, taskId, retry: { ...retry, attempt: retry.attempt + 1 } };
  if (
    next.kind === 'subOrchestration' &&
    next.instanceId === `${state.instanceId}:${String(previous.taskId)}`
  ) {
    next.instanceId = `${state.instanceId}:${String(taskId)}`;
  }
  state.outstanding = [...state.outstanding, next];
  return [scheduledEvent(next, now)];
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
