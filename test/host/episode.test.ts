import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionType } from '../../dev/host/durable/actions';
import type { RawAction } from '../../dev/host/durable/actions';
import { beginEpisode } from '../../dev/host/durable/episode';
import { EventType } from '../../dev/host/durable/history';
import { activity, newInstance, reply, started, step, t0 } from './episodeSteps';

describe('orchestration episodes', () => {
  it('gives tasks ids in the order the orchestrator yielded them, skipping external events', () => {
    const actions: RawAction[] = [
      activity('a'),
      { actionType: ActionType.WaitForExternalEvent, externalEventName: 'go' },
      {
        actionType: ActionType.WhenAll,
        compoundActions: [
          activity('b'),
          { actionType: ActionType.CreateTimer, fireAt: new Date(t0 + 1000).toISOString() },
        ],
      },
    ];
    const state = step(newInstance(), started, reply(actions));
    assert.deepEqual(state.actionTaskIds, [0, null, 1, 2]);
    assert.deepEqual(
      state.outstanding.map((w) => [w.kind, w.kind === 'timer' ? w.timerId : w.taskId]),
      [
        ['activity', 0],
        ['activity', 1],
        ['timer', 2],
      ],
    );
    const scheduled = state.history.filter(
      (e) => e.EventType === EventType.TaskScheduled || e.EventType === EventType.TimerCreated,
    );
    assert.deepEqual(
      scheduled.map((e) => e.EventId),
      [0, 1, 2],
    );
  });

  it('schedules only actions it has not seen, as every replay returns all of them', () => {
    let state = step(newInstance(), started, reply([activity('a')]));
    state = step(
      state,
      { kind: 'TaskCompleted', executionId: 'e1', taskId: 0, result: '1' },
      reply([activity('a'), activity('b')]),
    );
    assert.deepEqual(
      state.outstanding.map((w) => (w.kind === 'activity' ? w.name : w.kind)),
      ['b'],
    );
    assert.equal(state.history.filter((e) => e.EventType === EventType.TaskScheduled).length, 2);
  });

  it('fails the instance when a replay yields different actions than before', () => {
    let state = step(newInstance(), started, reply([activity('a')]));
    state = step(
      state,
      { kind: 'TaskCompleted', executionId: 'e1', taskId: 0, result: '1' },
      reply([activity('other')]),
    );
    assert.equal(state.runtimeStatus, 'Failed');
    assert.match(
      String(state.output),
      /Non-Deterministic workflow detected: action 0 was CallActivity:a .* now CallActivity:other/,
    );
  });

  it('waits the retry interval after a failed attempt, then schedules the next attempt under a new id', () => {
    const retry = { firstRetryIntervalInMilliseconds: 5000, maxNumberOfAttempts: 2 };
    let state = step(newInstance(), started, reply([activity('a', retry)]));
    const failure = { ErrorType: 'Error', ErrorMessage: 'boom' };
    state = step(
      state,
      { kind: 'TaskFailed', executionId: 'e1', taskId: 0, failure },
      reply([activity('a', retry)]),
      t0 + 100,
    );
    assert.deepEqual(state.outstanding, [
      {
        kind: 'timer',
        timerId: 1,
        fireAt: new Date(t0 + 5100).toISOString(),
        retryOf: {
          kind: 'activity',
          taskId: 0,
          name: 'a',
          input: '{"n":1}',
          retry: { policy: retry, attempt: 1, firstAttemptAt: t0 },
        },
      },
    ]);
    state = step(
      state,
      { kind: 'TimerFired', executionId: 'e1', timerId: 1, fireAt: new Date(t0 + 5100).toISOString() },
      reply([activity('a', retry)]),
      t0 + 5100,
    );
    assert.deepEqual(
      state.outstanding.map((w) => [w.kind, w.kind === 'activity' ? [w.taskId, w.retry?.attempt] : null]),
      [['activity', [2, 2]]],
    );
  });

  it('schedules no further attempt once the attempts are used up', () => {
    const retry = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 1 };
    let state = step(newInstance(), started, reply([activity('a', retry)]));
    state = step(
      state,
      {
        kind: 'TaskFailed',
        executionId: 'e1',
        taskId: 0,
        failure: { ErrorType: 'Error', ErrorMessage: 'x' },
      },
      reply([activity('a', retry)]),
    );
    // The orchestrator library still waits on one timer after the last failure, as Durable Task does.
    assert.deepEqual(
      state.outstanding.map((w) => w.kind),
      ['timer'],
    );
    state = step(
      state,
      { kind: 'TimerFired', executionId: 'e1', timerId: 1, fireAt: new Date(t0 + 1000).toISOString() },
      reply([activity('a', retry)], { isDone: true, output: 'gave up' }),
    );
    assert.equal(state.runtimeStatus, 'Completed');
    assert.equal(state.history.filter((e) => e.EventType === EventType.TaskScheduled).length, 1);
  });

  it('ignores results for tasks it is not waiting for, and results of an earlier execution', () => {
    const state = step(newInstance(), started, reply([activity('a')]));
    const stale = beginEpisode(
      { ...state, inbox: [] },
      { kind: 'TaskCompleted', executionId: 'old', taskId: 0, result: '1' },
      t0,
    );
    assert.equal(stale.replay, false);
    const unknown = beginEpisode(
      { ...state, inbox: [] },
      { kind: 'TaskCompleted', executionId: 'e1', taskId: 7, result: '1' },
      t0,
    );
    assert.equal(unknown.replay, false);
  });

  it('drops a timer the orchestrator cancelled, so it no longer wakes the instance', () => {
    const timer: RawAction = {
      actionType: ActionType.CreateTimer,
      fireAt: new Date(t0 + 60_000).toISOString(),
    };
    const event: RawAction = { actionType: ActionType.WaitForExternalEvent, externalEventName: 'go' };
    let state = step(
      newInstance(),
      started,
      reply([{ actionType: ActionType.WhenAny, compoundActions: [event, timer] }]),
    );
    assert.deepEqual(
      state.outstanding.map((w) => w.kind),
      ['timer'],
    );
    state = step(
      state,
      { kind: 'EventRaised', name: 'go', input: '1' },
      reply([{ actionType: ActionType.WhenAny, compoundActions: [event, { ...timer, isCanceled: true }] }]),
    );
    assert.deepEqual(state.outstanding, []);
  });

  it('continues as new with the new input, keeping events raised for it and nothing else', () => {
    let state = step(newInstance(), started, reply([activity('a')]));
    state = { ...state, inbox: [{ kind: 'EventRaised', name: 'later', input: null }] };
    const continued = reply([activity('a'), { actionType: ActionType.ContinueAsNew, input: 5 }], {
      isDone: true,
    });
    state = step(state, { kind: 'TaskCompleted', executionId: 'e1', taskId: 0, result: '1' }, continued);
    assert.equal(state.runtimeStatus, 'Running');
    assert.equal(state.input, 5);
    assert.deepEqual(state.history, []);
    assert.deepEqual(
      state.inbox.map((m) => m.kind),
      ['ExecutionStarted', 'EventRaised'],
    );
    assert.notEqual(state.executionId, 'e1');
  });

  it('refuses actions the local host cannot carry out, saying which', () => {
    const state = step(newInstance(), started, reply([{ actionType: ActionType.CallHttp }]));
    assert.equal(state.runtimeStatus, 'Failed');
    assert.match(String(state.output), /does not support CallHttp actions/);
  });
});
