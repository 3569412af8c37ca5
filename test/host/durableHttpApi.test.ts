import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import type { LocalHost } from '../../dev/host/host';
import { call, startTestHost, testKeys } from '../support/testHost';

interface Status {
  runtimeStatus: string;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Record<string, unknown>[];
}

const systemKey = testKeys.system.durabletask_extension ?? '';
const api = '/runtime/webhooks/durabletask';

describe('the durable HTTP API answers as the Durable Functions extension does', () => {
  const clock = new VirtualClock(Date.parse('2026-03-01T10:00:00.250Z'));
  let host: LocalHost;
  const settle = (): Promise<void> => host.idle();

  before(async () => {
    host = await startTestHost({ clock });
  });
  after(() => host.stop());

  async function start(name: string, instanceId: string, input?: unknown): Promise<string> {
    const res = await call(host.url, `${api}/orchestrators/${name}/${instanceId}?code=${systemKey}`, {
      method: 'POST',
      ...(input !== undefined ? { body: input } : {}),
    });
    assert.equal(res.status, 202, res.text);
    await settle();
    return `${api}/instances/${instanceId}?code=${systemKey}`;
  }

  const status = (path: string): ReturnType<typeof call> => call(host.url, path);

  it('answers a start with 202, Location, Retry-After: 10 and the links the extension gives', async () => {
    const res = await call(host.url, `${api}/orchestrators/approval/started-1?code=${systemKey}`, {
      method: 'POST',
    });
    assert.equal(res.status, 202);
    const body = res.body as Record<string, string>;
    assert.deepEqual(Object.keys(body), [
      'id',
      'statusQueryGetUri',
      'sendEventPostUri',
      'terminatePostUri',
      'purgeHistoryDeleteUri',
      'restartPostUri',
      'suspendPostUri',
      'resumePostUri',
    ]);
    assert.equal(res.headers.get('location'), body.statusQueryGetUri);
    assert.equal(res.headers.get('retry-after'), '10');
    await settle();
  });

  it('answers 202 with Location (the request itself) and Retry-After: 5 while an instance runs', async () => {
    const path = await start('approval', 'running-1');
    const res = await status(`${path}&showInput=false`);
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('location'), `${host.url}${path}&showInput=false`);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.equal((res.body as Status).runtimeStatus, 'Running');
  });

  it('answers 200 for failed and terminated instances, and 500 for failed ones when asked to', async () => {
    const failed = await start('failing', 'failed-1');
    const res = await status(failed);
    assert.equal(res.status, 200);
    assert.equal((res.body as Status).runtimeStatus, 'Failed');
    assert.equal(res.headers.get('location'), null);
    assert.equal((await status(`${failed}&returnInternalServerErrorOnFailure=true`)).status, 500);

    const terminated = await start('approval', 'terminated-1');
    const ended = await call(
      host.url,
      `${api}/instances/terminated-1/terminate?reason=no&code=${systemKey}`,
      {
        method: 'POST',
      },
    );
    assert.equal(ended.status, 202);
    await settle();
    const after = await status(`${terminated}&returnInternalServerErrorOnFailure=true`);
    assert.equal(after.status, 200);
    assert.equal((after.body as Status).runtimeStatus, 'Terminated');
  });

  it('writes status times as the extension does, to the whole second', async () => {
    const res = await status(await start('sequence', 'times-1'));
    const body = res.body as Status;
    assert.equal(body.createdTime, '2026-03-01T10:00:00Z');
    assert.match(body.lastUpdatedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('shows history as the extension does: completed tasks folded into one event, results only when asked', async () => {
    const path = await start('sequence', 'history-1');
    const plain = (await status(`${path}&showHistory=true`)).body as Status;
    const types = plain.historyEvents?.map((e) => e.EventType);
    assert.deepEqual(types, [
      'ExecutionStarted',
      'TaskCompleted',
      'TaskCompleted',
      'TaskCompleted',
      'TaskCompleted',
      'TaskCompleted',
      'ExecutionCompleted',
    ]);
    const [startedEvent, firstTask] = plain.historyEvents ?? [];
    assert.equal(startedEvent?.FunctionName, 'sequence');
    assert.equal(firstTask?.FunctionName, 'double');
    assert.equal(firstTask.Input, '1');
    assert.equal(typeof firstTask.ScheduledTime, 'string');
    for (const event of plain.historyEvents ?? []) {
      assert.equal('Result' in event, false);
      assert.equal('EventId' in event || 'IsPlayed' in event || 'TaskScheduledId' in event, false);
    }
    const withOutput = (await status(`${path}&showHistory=true&showHistoryOutput=true`)).body as Status;
    assert.equal(withOutput.historyEvents?.[1]?.Result, 2);
    assert.deepEqual(withOutput.historyEvents.at(-1)?.Result, {
      a: 2,
      b: 4,
      fanOut: [20, 40],
      greeting: 'hello shepherd',
    });
  });

  it('takes an event only as JSON sent as application/json, and a refused one leaves the instance waiting', async () => {
    const path = await start('approval', 'events-1');
    const raise = (body: string, type: string): ReturnType<typeof call> =>
      call(host.url, `${api}/instances/events-1/raiseEvent/approve?code=${systemKey}`, {
        method: 'POST',
        body,
        headers: { 'content-type': type },
      });
    assert.equal((await raise('"ana"', 'text/plain')).status, 400);
    assert.equal((await raise('', 'application/json')).status, 400);
    assert.equal((await raise('{"user": ana}', 'application/json')).status, 400);
    await settle();
    assert.equal(((await status(path)).body as Status).runtimeStatus, 'Running');

    assert.equal((await raise('\ufeff{"user":"ana"}', 'Application/JSON; charset=utf-8')).status, 202);
    await settle();
    const done = (await status(path)).body as Status;
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, { outcome: 'approved', by: { user: 'ana' } });
    assert.equal((await raise('{}', 'application/json')).status, 410);
    const missing = await call(host.url, `${api}/instances/nobody/raiseEvent/approve?code=${systemKey}`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(missing.status, 404);
  });

  it('refuses to purge a running instance (412) and a filtered purge without createdTimeFrom (400)', async () => {
    await start('approval', 'purge-running');
    const single = await call(host.url, `${api}/instances/purge-running?code=${systemKey}`, {
      method: 'DELETE',
    });
    assert.equal(single.status, 412);

    await start('sequence', 'purge-a');
    await start('sequence', 'purge-b');
    const unbounded = await call(host.url, `${api}/instances/?instanceIdPrefix=purge-&code=${systemKey}`, {
      method: 'DELETE',
    });
    assert.equal(unbounded.status, 400);
    assert.equal((await status(`${api}/instances/purge-a?code=${systemKey}`)).status, 200);

    // The extension does not narrow a purge by instanceIdPrefix: every finished instance since then goes.
    const purged = await call(
      host.url,
      `${api}/instances/?instanceIdPrefix=purge-a&createdTimeFrom=2026-03-01T00:00:00Z&code=${systemKey}`,
      { method: 'DELETE' },
    );
    assert.equal(purged.status, 200);
    assert.equal((await status(`${api}/instances/purge-b?code=${systemKey}`)).status, 404);
    assert.equal((await status(`${api}/instances/purge-running?code=${systemKey}`)).status, 202);
    const again = await call(
      host.url,
      `${api}/instances/?createdTimeFrom=2026-03-01T00:00:00Z&code=${systemKey}`,
      {
        method: 'DELETE',
      },
    );
    assert.equal(again.status, 404, 'nothing finished is left to purge');
  });
});
