import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import type { LocalHost } from '../../dev/host/host';
import { call, startTestHost, testKeys } from '../support/testHost';

interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  historyEvents?: { EventType: string; FunctionName?: string }[];
}

interface Links {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
}

describe('durable functions through the local host', () => {
  const clock = new VirtualClock(Date.parse('2026-06-01T08:00:00Z'));
  let host: LocalHost;
  const key = testKeys.host.default;
  const settle = (): Promise<void> => host.idle();

  before(async () => {
    host = await startTestHost({ clock });
  });
  after(() => host.stop());

  async function start(name: string, input?: unknown, instanceId?: string): Promise<Links> {
    const res = await call(host.url, `/api/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, {
      method: 'POST',
      key,
      ...(input !== undefined ? { body: input } : {}),
    });
    assert.equal(res.status, 202, res.text);
    await settle();
    return res.body as Links;
  }

  async function status(links: Links): Promise<{ code: number; body: Status }> {
    const res = await call(links.statusQueryGetUri, '');
    return { code: res.status, body: res.body as Status };
  }

  it('runs activities in sequence and fanned out, and reports output and custom status', async () => {
    const links = await start('sequence');
    assert.match(
      links.statusQueryGetUri,
      new RegExp(`^${host.url}/runtime/webhooks/durabletask/instances/${links.id}\\?`),
    );
    const { code, body } = await status(links);
    assert.equal(code, 200);
    assert.equal(body.runtimeStatus, 'Completed');
    assert.deepEqual(body.output, { a: 2, b: 4, fanOut: [20, 40], greeting: 'hello shepherd' });
    assert.deepEqual(body.customStatus, { step: 'all done' });
  });

  it('retries a failing activity after the retry interval until it succeeds', async () => {
    const links = await start('withRetry', { key: 'retry-ok', succeedOn: 3, maxAttempts: 3 });
    assert.equal((await status(links)).body.runtimeStatus, 'Running');
    await clock.advance(29_000, settle);
    assert.equal((await status(links)).body.runtimeStatus, 'Running', 'no retry before the interval');
    await clock.advance(31_000, settle);
    await clock.advance(30_000, settle);
    const { body } = await status(links);
    assert.equal(body.runtimeStatus, 'Completed');
    assert.equal(body.output, 'succeeded on attempt 3');
  });

  it('gives up after the last attempt and lets the orchestrator handle the failure', async () => {
    const links = await start('withRetry', { key: 'retry-exhausted', succeedOn: 10, maxAttempts: 2 });
    await clock.advance(5 * 60_000, settle);
    const { body } = await status(links);
    assert.equal(body.runtimeStatus, 'Completed');
    assert.match(String(body.output), /^gave up: .*attempt 2 of retry-exhausted failed/);
    const seen = (await call(host.url, '/api/observations')).body as {
      kind: string;
      value: { key: string };
    }[];
    assert.equal(seen.filter((o) => o.kind === 'flaky' && o.value.key === 'retry-exhausted').length, 2);
  });

  it('runs hours of durable timers on the virtual clock', async () => {
    const links = await start('longTimers');
    await clock.advance(17 * 60 * 60_000, settle);
    assert.equal((await status(links)).body.runtimeStatus, 'Running');
    await clock.advance(60 * 60_000, settle);
    const { body } = await status(links);
    assert.equal(body.runtimeStatus, 'Completed');
    const { started, finished } = body.output as { started: string; finished: string };
    assert.equal(Date.parse(finished) - Date.parse(started), 18 * 60 * 60_000);
  });

  it('wakes on an external event before its timeout, and cancels the timeout', async () => {
    const links = await start('approval');
    const raised = await call(host.url, `/api/client/raise/${links.id}?event=approve`, {
      method: 'POST',
      key,
      body: { user: 'ana' },
    });
    assert.equal(raised.status, 202);
    await settle();
    const { body } = await status(links);
    assert.equal(body.runtimeStatus, 'Completed');
    assert.deepEqual(body.output, { outcome: 'approved', by: { user: 'ana' } });
  });

  it('times out when no event comes', async () => {
    const links = await start('approval');
    await clock.advance(60 * 60_000, settle);
    const { body } = await status(links);
    assert.equal((body.output as { outcome: string }).outcome, 'timed out');
  });

  it('keeps an event raised before the orchestration waits for it', async () => {
    const links = await start('lateListener');
    const raised = await call(links.sendEventPostUri.replace('{eventName}', 'go'), '', {
      method: 'POST',
      body: { early: true },
    });
    assert.equal(raised.status, 202);
    await clock.advance(10 * 60_000, settle);
    const { body } = await status(links);
    assert.equal(body.runtimeStatus, 'Completed');
    assert.deepEqual(body.output, { data: { early: true } });
  });

  it('continues as new with fresh history until done', async () => {
    const links = await start('counter', 0);
    for (let i = 0; i < 3; i++) await clock.advance(60_000, settle);
    const res = await call(`${links.statusQueryGetUri}&showHistory=true`, '');
    const body = res.body as Status;
    assert.equal(body.runtimeStatus, 'Completed');
    assert.equal(body.output, 3);
    const started = body.historyEvents?.filter((e) => e.EventType === 'ExecutionStarted') ?? [];
    assert.equal(started.length, 1, 'history holds only the last execution');
  });

  it('runs sub-orchestrations and returns their output to the parent', async () => {
    const links = await start('parent');
    const { body } = await status(links);
    assert.equal(body.runtimeStatus, 'Completed');
    assert.deepEqual((body.output as { child: unknown }).child, {
      a: 2,
      b: 4,
      fanOut: [20, 40],
      greeting: 'hello shepherd',
    });
    const child = await call(links.statusQueryGetUri.replace(links.id, `${links.id}:0`), '');
    assert.equal((child.body as Status).name, 'sequence');
  });

  it('marks an orchestration whose activity failed unhandled as Failed, with the reason', async () => {
    const links = await start('failing');
    const { code, body } = await status(links);
    assert.equal(code, 200);
    assert.equal(body.runtimeStatus, 'Failed');
    assert.match(String(body.output), /attempt 1 of always-.* failed/);
  });

  it('terminates a running orchestration with a reason', async () => {
    const links = await start('approval');
    const res = await call(host.url, `/api/client/terminate/${links.id}?reason=changed%20my%20mind`, {
      method: 'POST',
      key,
    });
    assert.equal(res.status, 202);
    await settle();
    const { body } = await status(links);
    assert.equal(body.runtimeStatus, 'Terminated');
    assert.equal(body.output, 'changed my mind');
    await clock.advance(2 * 60 * 60_000, settle);
    assert.equal((await status(links)).body.runtimeStatus, 'Terminated', 'its timer no longer matters');
  });

  it('lists, shows history of, and purges instances through the durable client', async () => {
    const links = await start('sequence', undefined, 'purge-me');
    const listed = (await call(host.url, '/api/client/list', { method: 'POST', key })).body as Status[];
    assert.ok(listed.some((s) => s.instanceId === 'purge-me' && s.runtimeStatus === 'Completed'));
    const detailed = (await call(host.url, '/api/client/status/purge-me', { method: 'POST', key }))
      .body as Status;
    assert.equal(detailed.runtimeStatus, 'Completed');
    const history = (await call(`${links.statusQueryGetUri}&showHistory=true`, '')).body as Status;
    const completed = history.historyEvents
      ?.filter((e) => e.EventType === 'TaskCompleted')
      .map((e) => e.FunctionName);
    assert.deepEqual(completed, ['double', 'double', 'double', 'double', 'greet']);
    const purged = await call(host.url, '/api/client/purge/purge-me', { method: 'POST', key });
    assert.deepEqual(purged.body, { instancesDeleted: 1 });
    assert.equal((await status(links)).code, 404);
  });

  it('refuses a second start of a running instance id (NonRunningStates) and allows it once finished', async () => {
    const management = `/runtime/webhooks/durabletask/orchestrators/approval/single-1?code=${testKeys.system.durabletask_extension ?? ''}`;
    assert.equal((await call(host.url, management, { method: 'POST' })).status, 202);
    await settle();
    const again = await call(host.url, management, { method: 'POST' });
    assert.equal(again.status, 409);
    await clock.advance(60 * 60_000, settle);
    assert.equal((await call(host.url, management, { method: 'POST' })).status, 202);
  });

  it('gives activities that ask for it the durable client, which can signal another instance', async () => {
    const waiting = await start('lateListener');
    await settle();
    const signaller = await start('signaller', { target: waiting.id });
    await settle();
    assert.equal((await status(signaller)).body.output, 'Running', 'the activity read the other instance');
    await clock.advance(10 * 60_000, settle);
    const woken = (await status(waiting)).body;
    assert.equal(woken.runtimeStatus, 'Completed');
    assert.deepEqual(woken.output, { data: 'from an activity' });
  });

  it('protects the durable HTTP API with the system key', async () => {
    assert.equal((await call(host.url, '/runtime/webhooks/durabletask/instances/')).status, 401);
    assert.equal(
      (await call(host.url, '/runtime/webhooks/durabletask/instances/', { key: testKeys.host.default }))
        .status,
      401,
    );
    const unknown = await call(host.url, '/runtime/webhooks/durabletask/orchestrators/nope', {
      method: 'POST',
      key: testKeys.master,
    });
    assert.equal(unknown.status, 400);
  });
  it('fails an orchestration whose custom status is over 16 KB, as Azure does, and keeps one under it', async () => {
    const over = await start('sizedStatus', 8702);
    const failed = (await status(over)).body;
    assert.equal(failed.runtimeStatus, 'Failed');
    assert.equal(
      failed.output,
      'The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is 17 KB.',
    );
    const under = await start('sizedStatus', 8701);
    const completed = (await status(under)).body;
    assert.equal(completed.runtimeStatus, 'Completed');
    assert.equal(completed.output, 2);
    assert.equal(String(completed.customStatus).length, 8701);
  });
});
