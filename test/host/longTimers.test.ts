import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionType } from '../../dev/host/durable/actions';
import type { RawAction } from '../../dev/host/durable/actions';
import { EventType } from '../../dev/host/durable/history';
import type { InstanceState, Message } from '../../dev/host/durable/instanceState';
import { firstSubTimerAt, nextSubTimerAt } from '../../dev/host/durable/longTimers';
import { activity, newInstance, reply, started, step, t0 } from './episodeSteps';

const day = 24 * 60 * 60_000;
const at = (ms: number): string => new Date(t0 + ms).toISOString();
const timer = (dueIn: number, isCanceled = false): RawAction => ({
  actionType: ActionType.CreateTimer,
  fireAt: at(dueIn),
  isCanceled,
});
const event: RawAction = { actionType: ActionType.WaitForExternalEvent, externalEventName: 'approval' };
/** The reply of an orchestrator racing an approval against a ten-day deadline. */
const race = (isCanceled = false): RawAction[] => [
  { actionType: ActionType.WhenAny, compoundActions: [event, timer(10 * day, isCanceled)] },
];
const fired = (timerId: number, fireAt: number): Message => ({
  kind: 'TimerFired',
  executionId: 'e1',
  timerId,
  fireAt: at(fireAt),
});
const timersCreated = (state: InstanceState): [number, string][] =>
  state.history
    .filter((e) => e.EventType === EventType.TimerCreated)
    .map((e) => [e.EventId, String(e.FireAt)]);

describe('timers longer than Azure Storage keeps whole', () => {
  it('plans sub-timers as the extension does: three-day steps until less than one step is left', () => {
    const rows: { dueIn: number; fired: number[] }[] = [
      { dueIn: 6 * day, fired: [6 * day] },
      { dueIn: 6 * day + 1, fired: [3 * day, 6 * day, 6 * day + 1] },
      { dueIn: 9 * day, fired: [3 * day, 6 * day, 9 * day] },
      { dueIn: 10 * day, fired: [3 * day, 6 * day, 9 * day, 10 * day] },
    ];
    for (const row of rows) {
      const fireAt = t0 + row.dueIn;
      const plan = [firstSubTimerAt(fireAt, t0)];
      for (let next = nextSubTimerAt(fireAt, plan.at(-1) ?? t0); next !== undefined;) {
        plan.push(next);
        next = nextSubTimerAt(fireAt, next);
      }
      assert.deepEqual(
        plan.map((p) => p - t0),
        row.fired,
        `a timer due in ${String(row.dueIn)} ms`,
      );
    }
  });

  it('carries out a ten-day timer as a chain of timers with consecutive task ids', () => {
    const actions = race();
    let state = step(newInstance(), started, reply(actions));
    for (const [id, when] of [
      [0, 3 * day],
      [1, 6 * day],
      [2, 9 * day],
      [3, 10 * day],
    ] as const) {
      state = step(state, fired(id, when), reply(actions), t0 + when);
    }
    assert.deepEqual(timersCreated(state), [
      [0, at(3 * day)],
      [1, at(6 * day)],
      [2, at(9 * day)],
      [3, at(10 * day)],
    ]);
    assert.deepEqual(state.outstanding, [], 'the last step ends the chain');
    assert.deepEqual(state.actionTaskIds, [null, 0]);
  });

  it('gives the next step of a chain the next id, after tasks scheduled while it waited', () => {
    const waiting = race();
    let state = step(newInstance(), started, reply(waiting));
    const after = [...waiting, activity('audit')];
    state = step(state, { kind: 'EventRaised', name: 'approval', input: '"ana"' }, reply(after), t0 + day);
    state = step(state, fired(0, 3 * day), reply(after), t0 + 3 * day);
    assert.deepEqual(
      state.outstanding.map((w) => [w.kind, w.kind === 'timer' ? w.timerId : w.taskId]),
      [
        ['activity', 1],
        ['timer', 2],
      ],
    );
  });

  it('drops a long timer cancelled while its first step waits', () => {
    const waiting = race();
    let state = step(newInstance(), started, reply(waiting));
    const cancelled = race(true);
    state = step(
      state,
      { kind: 'EventRaised', name: 'approval', input: '"ana"' },
      reply(cancelled, { isDone: true, output: 'approved' }),
      t0 + 2 * day,
    );
    assert.equal(state.runtimeStatus, 'Completed');
    assert.equal(state.output, 'approved');
  });

  it('fails as non-deterministic, as the extension does, when a long timer is cancelled after a step fired', () => {
    const waiting = race();
    let state = step(newInstance(), started, reply(waiting));
    state = step(state, fired(0, 3 * day), reply(waiting), t0 + 3 * day);
    const cancelled = race(true);
    state = step(
      state,
      { kind: 'EventRaised', name: 'approval', input: '"ana"' },
      reply(cancelled, { isDone: true, output: 'approved' }),
      t0 + 4 * day,
    );
    assert.equal(state.runtimeStatus, 'Failed');
    assert.match(
      String(state.output),
      /^Non-Deterministic workflow detected: .*timer task with sequence number 1 .*cancelled after its first 3-day step/,
    );
  });
});

describe('an orchestrator that returns while tasks it started are open', () => {
  it('stays Running until a timer it did not cancel fires, then completes', () => {
    const actions = [{ actionType: ActionType.WhenAny, compoundActions: [event, timer(60_000)] }];
    let state = step(newInstance(), started, reply(actions));
    state = step(
      state,
      { kind: 'EventRaised', name: 'approval', input: '"ana"' },
      reply(actions, { isDone: true, output: 'approved' }),
      t0 + 1000,
    );
    assert.equal(state.runtimeStatus, 'Running');
    assert.equal(state.output, null);
    state = step(state, fired(0, 60_000), reply(actions, { isDone: true, output: 'approved' }), t0 + 60_000);
    assert.equal(state.runtimeStatus, 'Completed');
    assert.equal(state.output, 'approved');
  });

  it('stays Running while the activity that lost a race still runs, then completes', () => {
    const actions = [
      { actionType: ActionType.WhenAny, compoundActions: [activity('slow'), activity('fast')] },
    ];
    let state = step(newInstance(), started, reply(actions));
    const done = reply(actions, { isDone: true, output: 'fast won' });
    state = step(state, { kind: 'TaskCompleted', executionId: 'e1', taskId: 1, result: '1' }, done);
    assert.equal(state.runtimeStatus, 'Running');
    state = step(state, { kind: 'TaskCompleted', executionId: 'e1', taskId: 0, result: '2' }, done);
    assert.equal(state.runtimeStatus, 'Completed');
  });

  it('fails only once the tasks open when the orchestrator threw have ended', () => {
    const actions = [{ actionType: ActionType.WhenAny, compoundActions: [activity('a'), timer(60_000)] }];
    let state = step(newInstance(), started, reply(actions));
    const threw = { reply: reply(actions), failure: { ErrorType: 'Error', ErrorMessage: 'a failed' } };
    const failure = { ErrorType: 'Error', ErrorMessage: 'boom' };
    state = step(state, { kind: 'TaskFailed', executionId: 'e1', taskId: 0, failure }, threw, t0 + 1000);
    assert.equal(state.runtimeStatus, 'Running');
    state = step(state, fired(1, 60_000), threw, t0 + 60_000);
    assert.equal(state.runtimeStatus, 'Failed');
    assert.equal(state.output, "Orchestrator function 'orch' failed: a failed");
  });
});
