import { ActionType } from '../../dev/host/durable/actions';
import type { OrchestratorReply, RawAction } from '../../dev/host/durable/actions';
import { beginEpisode } from '../../dev/host/durable/episode';
import { finishEpisode } from '../../dev/host/durable/finishEpisode';
import type { ReplayOutcome } from '../../dev/host/durable/finishEpisode';
import type { InstanceState, Message } from '../../dev/host/durable/instanceState';

/** Building blocks for tests that drive orchestration episodes without an orchestrator library. */
export const t0 = Date.parse('2026-05-01T00:00:00Z');

export function newInstance(): InstanceState {
  return {
    instanceId: 'i1',
    name: 'orch',
    executionId: 'e1',
    runtimeStatus: 'Pending',
    input: null,
    output: null,
    customStatus: null,
    createdTime: new Date(t0).toISOString(),
    lastUpdatedTime: new Date(t0).toISOString(),
    history: [],
    inbox: [],
    outstanding: [],
    nextSequence: 0,
    actionSignatures: [],
    actionTaskIds: [],
  };
}

export const reply = (actions: RawAction[], extra: Partial<OrchestratorReply> = {}): OrchestratorReply => ({
  isDone: false,
  actions: [actions],
  ...extra,
});

export const activity = (name: string, retry?: RawAction['retryOptions']): RawAction => ({
  actionType: retry ? ActionType.CallActivityWithRetry : ActionType.CallActivity,
  functionName: name,
  input: { n: 1 },
  ...(retry ? { retryOptions: retry } : {}),
});

/** Runs one episode at `at`: delivers `message`, then applies the orchestrator's `answer`. */
export function step(
  state: InstanceState,
  message: Message,
  answer: OrchestratorReply | ReplayOutcome,
  at = t0,
): InstanceState {
  const start = beginEpisode({ ...state, inbox: [message, ...state.inbox] }, message, at);
  const outcome = 'reply' in answer || 'failure' in answer ? answer : { reply: answer };
  return start.replay ? finishEpisode(start, outcome, at) : start.state;
}

export const started: Message = { kind: 'ExecutionStarted', executionId: 'e1', input: null };
