import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import type { LocalHost } from '../../dev/host/host';
import { call, startTestHost, testKeys } from '../support/testHost';

interface HistoryEvent {
  EventType: string;
  FunctionName?: string;
  FireAt?: string;
  ScheduledTime?: string;
  Timestamp: string;
  Result?: unknown;
}

interface Status {
  name: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  historyEvents: HistoryEvent[];
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The durable-functions sample patterns, run by the local host on a virtual clock. */
describe('the durable samples on the local host', () => {
  const clock = new VirtualClock(Date.parse('2026-09-01T09:00:00Z'));
  let host: LocalHost;
  const settle = (): Promise<void> => host.idle();
  const advance = (ms: number): Promise<void> => clock.advance(ms, settle);

  before(async () => {
    host = await startTestHost({ clock });
  });
  after(() => host.stop());

  async function start(name: string, input?: unknown): Promise<{ id: string; startedAt: number }> {
    const startedAt = clock.now();
    const res = await call(host.url, `/api/orchestrators/${name}`, {
      method: 'POST',
      key: testKeys.host.default,
      ...(input !== undefined ? { body: input } : {}),
    });
    assert.equal(res.status, 202, res.text);
    await settle();
    return { id: (res.body as { id: string }).id, startedAt };
  }

  async function status(id: string): Promise<Status> {
    const query = `showHistory=true&showHistoryOutput=true&code=${testKeys.system.durabletask_extension ?? ''}`;
    return (await call(host.url, `/runtime/webhooks/durabletask/instances/${id}?${query}`)).body as Status;
  }

  async function raise(id: string, event: string, data: unknown): Promise<void> {
    const res = await call(host.url, `/api/client/raise/${id}?event=${event}`, {
      method: 'POST',
      key: testKeys.host.default,
      body: JSON.stringify(data),
    });
    assert.equal(res.status, 202);
    await settle();
  }

  const types = (s: Status): string[] => s.historyEvents.map((e) => e.EventType);
  const firesAt = (s: Status, from: number): number[] =>
    s.historyEvents
      .filter((e) => e.EventType === 'TimerCreated')
      .map((e) => Date.parse(e.FireAt ?? '') - from);

  it('fans out one activity per shard at once and fans the results in', async () => {
    const { id } = await start('fanOutFanIn', 5);
    const s = await status(id);
    assert.equal(s.runtimeStatus, 'Completed');
    assert.deepEqual(s.output, { shards: 5, total: 350 });
    assert.deepEqual(s.customStatus, { shards: 5 });
    const measured = s.historyEvents.filter((e) => e.FunctionName === 'measureShard');
    assert.equal(measured.length, 5);
    assert.equal(new Set(measured.map((e) => e.ScheduledTime)).size, 1, 'all five were scheduled together');
  });

  describe('human interaction with a ten-day deadline', () => {
    it('takes an approval that comes while the first three-day step waits, and cancels the deadline', async () => {
      const { id, startedAt } = await start('humanApproval');
      await advance(2 * day);
      await raise(id, 'approval', 'ana');
      const s = await status(id);
      assert.equal(s.runtimeStatus, 'Completed');
      assert.deepEqual(s.output, { outcome: 'approved', by: 'ana' });
      assert.deepEqual(s.customStatus, { answered: true });
      assert.deepEqual(firesAt(s, startedAt), [3 * day], 'only the first step of the chain was created');
      assert.equal(types(s).includes('TimerFired'), false);
    });

    it('escalates after exactly ten days, waiting in steps of three days as Azure Storage does', async () => {
      const { id, startedAt } = await start('humanApproval');
      assert.deepEqual((await status(id)).customStatus, {
        waitingFor: 'approval',
        until: new Date(startedAt + 10 * day).toISOString(),
      });
      await advance(10 * day - minute);
      assert.equal((await status(id)).runtimeStatus, 'Running');
      await advance(minute);
      const s = await status(id);
      assert.equal(s.runtimeStatus, 'Completed');
      assert.deepEqual(s.output, { outcome: `escalated ${id}` });
      assert.deepEqual(firesAt(s, startedAt), [3 * day, 6 * day, 9 * day, 10 * day]);
      assert.equal(types(s).filter((t) => t === 'TimerFired').length, 4);
    });

    it('fails as non-deterministic, as in Azure, when an approval after the first step cancels the deadline', async () => {
      const { id } = await start('humanApproval');
      await advance(4 * day);
      await raise(id, 'approval', 'ana');
      const s = await status(id);
      assert.equal(s.runtimeStatus, 'Failed');
      assert.match(String(s.output), /^Non-Deterministic workflow detected: .*sequence number 2 /);
    });
  });

  it('keeps an orchestrator that did not cancel its ten-day timer Running until the timer ends', async () => {
    const { id, startedAt } = await start('uncancelledWait');
    await advance(4 * day);
    await raise(id, 'answer', 'ana');
    const answered = await status(id);
    assert.equal(answered.runtimeStatus, 'Running');
    assert.equal(answered.output, null);
    assert.deepEqual(answered.customStatus, { answered: true });
    assert.ok(
      answered.historyEvents.some((e) => e.EventType === 'TaskCompleted' && e.FunctionName === 'greet'),
    );
    await advance(6 * day);
    const s = await status(id);
    assert.equal(s.runtimeStatus, 'Completed');
    assert.equal(s.output, 'hello ana');
    assert.deepEqual(firesAt(s, startedAt), [3 * day, 6 * day, 9 * day, 10 * day]);
  });

  describe('monitor', () => {
    it('checks every fifteen minutes until the job is done', async () => {
      const { id, startedAt } = await start('monitor', {
        key: 'job-done',
        doneOnCheck: 3,
        pollMinutes: 15,
        expiryHours: 2,
      });
      await advance(hour);
      const s = await status(id);
      assert.deepEqual(s.output, {
        done: true,
        checks: 3,
        at: new Date(startedAt + 30 * minute).toISOString(),
      });
      assert.deepEqual(s.customStatus, { checks: 2, lastState: 'running' });
      assert.deepEqual(types(s).slice(1, -1), [
        'TaskCompleted',
        'TimerCreated',
        'TimerFired',
        'TaskCompleted',
        'TimerCreated',
        'TimerFired',
        'TaskCompleted',
      ]);
    });

    it('gives up once its expiry has passed', async () => {
      const { id, startedAt } = await start('monitor', {
        key: 'job-stuck',
        doneOnCheck: 100,
        pollMinutes: 30,
        expiryHours: 1,
      });
      await advance(2 * hour);
      assert.deepEqual((await status(id)).output, {
        done: false,
        checks: 2,
        at: new Date(startedAt + hour).toISOString(),
      });
    });
  });

  it('runs an eternal orchestration round after round with a fresh history, until terminated', async () => {
    const { id } = await start('eternalSweeper', 1);
    await advance(3 * hour);
    const s = await status(id);
    assert.equal(s.runtimeStatus, 'Running');
    assert.equal(s.input, 4);
    assert.deepEqual(s.customStatus, { round: 4, swept: 'swept round 4' });
    assert.equal(types(s).filter((t) => t === 'ExecutionStarted').length, 1, 'only this round is kept');
    const res = await call(host.url, `/api/client/terminate/${id}?reason=enough`, {
      method: 'POST',
      key: testKeys.host.default,
    });
    assert.equal(res.status, 202);
    await settle();
    await advance(2 * hour);
    assert.equal((await status(id)).runtimeStatus, 'Terminated');
  });

  it('provisions devices in sub-orchestrations of their own and gathers their outputs', async () => {
    const { id } = await start('provisionDevices', ['d1', 'd2']);
    const s = await status(id);
    assert.equal(s.runtimeStatus, 'Completed');
    assert.deepEqual(s.output, [
      ['d1:register', 'd1:configure'],
      ['d2:register', 'd2:configure'],
    ]);
    const children = s.historyEvents.filter((e) => e.EventType === 'SubOrchestrationInstanceCompleted');
    assert.deepEqual(
      children.map((e) => [e.FunctionName, e.Result]),
      [
        ['provisionDevice', ['d1:register', 'd1:configure']],
        ['provisionDevice', ['d2:register', 'd2:configure']],
      ],
    );
    const child = await status(`${id}-d2`);
    assert.equal(child.name, 'provisionDevice');
    assert.equal(child.runtimeStatus, 'Completed');
  });

  it('retries an activity with exponential backoff: 30 s, then 60 s', async () => {
    const { id, startedAt } = await start('withRetry', {
      key: 'backoff',
      succeedOn: 3,
      maxAttempts: 3,
      backoffCoefficient: 2,
    });
    await advance(89_000);
    assert.equal((await status(id)).runtimeStatus, 'Running');
    await advance(1_000);
    const s = await status(id);
    assert.equal(s.output, 'succeeded on attempt 3');
    assert.deepEqual(types(s).slice(1, -1), [
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskCompleted',
    ]);
    assert.deepEqual(firesAt(s, startedAt), [30_000, 90_000]);
  });
});
