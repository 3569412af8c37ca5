import { randomUUID } from 'node:crypto';
import { flattenActions } from './actions';
import type { OrchestratorReply } from './actions';
import { applyActions } from './applyActions';
import { customStatusTooLarge } from './customStatusLimit';
import type { EpisodeStart } from './episode';
import { EventType, historyEvent } from './history';
import type { FailureDetails, HistoryEvent } from './history';
import type { InstanceState } from './instanceState';

/**
 * How a replay went: the orchestrator's reply (with `failure` when it threw: the library still returns
 * the state it reached), or only `failure` when it could not run at all.
 */
export type ReplayOutcome =
  { reply: OrchestratorReply; failure?: FailureDetails } | { failure: FailureDetails };

/**
 * Applies what the orchestrator decided: new tasks, timers and sub-orchestrations, or the end. As in
 * Durable Task, an orchestrator that has returned (or thrown) ends the instance only once no task it
 * started is still open: an activity still running or a timer not cancelled keeps it Running.
 */
export function finishEpisode(start: EpisodeStart, outcome: ReplayOutcome, now: number): InstanceState {
  const state: InstanceState = {
    ...start.state,
    history: [...start.state.history.map((e) => ({ ...e, IsPlayed: true })), ...start.newEvents],
  };
  if (!('reply' in outcome)) return failInstance(state, outcome.failure, now);
  const { reply, failure } = outcome;
  const tooLarge = customStatusTooLarge(reply.customStatus);
  if (tooLarge) return failInstance(state, tooLarge, now, tooLarge.ErrorMessage);
  state.customStatus = reply.customStatus ?? null;

  const applied = applyActions(state, flattenActions(reply), now);
  if ('failure' in applied) return failInstance(state, applied.failure, now, applied.failure.ErrorMessage);
  state.history = [
    ...state.history,
    ...applied.scheduled,
    historyEvent(EventType.OrchestratorCompleted, now),
  ];

  if ((!reply.isDone && !failure) || state.outstanding.length > 0) return state;
  if (failure) return failInstance(state, failure, now);
  if (applied.continueAsNew) return continueAsNew(state, applied.continueAsNew.input);
  return endInstance(state, 'Completed', reply.output ?? null, now, []);
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

/**
 * Ends the instance as Failed. Its output is the reason: the orchestrator's own errors read
 * "Orchestrator function '…' failed: …" as the extension words them; Durable Task's own are given whole.
 */
function failInstance(
  state: InstanceState,
  failure: FailureDetails,
  now: number,
  output = `Orchestrator function '${state.name}' failed: ${failure.ErrorMessage}`,
): InstanceState {
  return { ...endInstance(state, 'Failed', output, now, []), failure };
}

/** Ends the instance with `status` and `output`, dropping whatever it still waited for. */
export function endInstance(
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
