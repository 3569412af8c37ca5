import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { VirtualClock } from '../../dev/host/clock';
import { durableClientData } from '../../dev/host/durable/clientBinding';
import type { LocalHost } from '../../dev/host/host';
import { carryOutHistoryItem, planHistoryCleanup } from '../../src/activities/historyCleanup';
import { loadConfig } from '../../src/config';
import type { CleanupItem, CleanupPlan } from '../../src/domain/cleanupPlan';
import { call, startTestHost, tempDir, testKeys, testSettings } from '../support/testHost';

const systemKey = testKeys.system.durabletask_extension ?? '';
const taskHub = testSettings.Values.TEST_TASK_HUB;
const dayMs = 86_400_000;

/** A real InvocationContext of an activity with the durable client input the lead registers it with. */
function activityContext(host: LocalHost): InvocationContext {
  const durableClient = df.input.durableClient();
  const context = new InvocationContext({
    functionName: 'planHistoryCleanup',
    options: { extraInputs: [durableClient] },
  });
  context.extraInputs.set(durableClient, durableClientData(host.url, taskHub, systemKey));
  return context;
}

function historyConfig(retentionDays: number): ReturnType<typeof loadConfig> {
  const root = tempDir('history-cleanup');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.0.0' }));
  writeFileSync(join(root, 'targets.json'), JSON.stringify({ targets: [] }));
  return loadConfig(
    {
      SHEPHERD_TASK_HUB: 'HistoryCleanup',
      SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
      SHEPHERD_HISTORY_RETENTION_DAYS: String(retentionDays),
    },
    root,
  );
}

describe('purging finished durable history past its retention, on the local host', () => {
  const started = Date.parse('2026-03-01T00:00:00Z');
  const clock = new VirtualClock(started);
  const dataDir = tempDir('history-host');
  const config = historyConfig(30);
  let host: LocalHost;
  let context: InvocationContext;
  let plan: CleanupPlan;

  const statusOf = async (id: string): Promise<number> =>
    (await call(host.url, `/runtime/webhooks/durabletask/instances/${id}?code=${systemKey}`)).status;
  const stateFileOf = (id: string): string =>
    join(dataDir, taskHub, 'instances', `${encodeURIComponent(id)}.json`);
  const itemOf = (id: string): CleanupItem => {
    const item = plan.items.find((i) => i.id === `instance:${id}`);
    assert.ok(item, `${id} is in the plan`);
    return item;
  };

  before(async () => {
    host = await startTestHost({ clock, dataDir });
    const settle = (): Promise<void> => host.idle();
    host.engine.startNew('sequence', { instanceId: 'old-completed' });
    host.engine.startNew('failing', { instanceId: 'old-failed' });
    host.engine.startNew('approval', { instanceId: 'old-terminated' });
    // Waits ten minutes, then for an event that never comes: running (waiting) for good.
    host.engine.startNew('lateListener', { instanceId: 'old-waiting' });
    await settle();
    host.engine.terminate('old-terminated', 'by hand');
    await clock.advance(40 * dayMs, settle);
    host.engine.startNew('sequence', { instanceId: 'young-completed' });
    await settle();
    context = activityContext(host);
    plan = await planHistoryCleanup(config)({ now: new Date(clock.now()).toISOString() }, context);
  });
  after(() => host.stop());

  it('plans the finished instances past 30 days for deletion and keeps the waiting one, changing nothing', async () => {
    assert.equal(plan.kind, 'history');
    assert.deepEqual(
      plan.items.map((i) => [i.id, i.action]).sort(),
      [
        ['instance:old-completed', 'delete'],
        ['instance:old-failed', 'delete'],
        ['instance:old-terminated', 'delete'],
        ['instance:old-waiting', 'keep'],
      ],
      'the young instance is not even listed',
    );
    assert.match(itemOf('old-failed').reasons.join(), /failed 40 days ago, past the 30-day retention/);
    assert.match(itemOf('old-waiting').reasons.join(), /running: only finished instances are purged/);
    for (const id of ['old-completed', 'old-failed', 'old-terminated', 'young-completed'])
      assert.equal(await statusOf(id), 200, `${id} is still there after planning`);
    assert.equal(await statusOf('old-waiting'), 202);
  });

  it('purges each planned instance: its status is 404 and its state file is gone', async () => {
    for (const id of ['old-completed', 'old-failed', 'old-terminated']) {
      assert.ok(existsSync(stateFileOf(id)));
      assert.equal(await carryOutHistoryItem({ item: itemOf(id) }, context), 'done');
      assert.equal(await statusOf(id), 404, `${id} is purged`);
      assert.ok(!existsSync(stateFileOf(id)), `${id}'s state file is deleted`);
    }
    assert.equal(await statusOf('young-completed'), 200, 'a young finished instance stays');
    assert.equal(await statusOf('old-waiting'), 202, 'the waiting instance stays');
    assert.ok(existsSync(stateFileOf('old-waiting')));
  });

  it('answers gone for an instance already purged', async () => {
    assert.equal(await carryOutHistoryItem({ item: itemOf('old-completed') }, context), 'gone');
  });

  it('never purges a running instance, even when an item asks it to', async () => {
    const forced: CleanupItem = { ...itemOf('old-waiting'), action: 'delete' };
    assert.equal(await carryOutHistoryItem({ item: forced }, context), 'gone');
    assert.equal(await statusOf('old-waiting'), 202);
    // The task hub refuses it too, as Azure's does (HttpApiHandler: 412 for a non-terminal orchestration).
    const direct = await call(
      host.url,
      `/runtime/webhooks/durabletask/instances/old-waiting?code=${systemKey}`,
      { method: 'DELETE' },
    );
    assert.equal(direct.status, 412);
  });

  it('leaves a newer instance that took a purged one’s id', async () => {
    host.engine.startNew('sequence', { instanceId: 'old-failed' });
    await host.idle();
    assert.equal(await carryOutHistoryItem({ item: itemOf('old-failed') }, context), 'gone');
    assert.equal(await statusOf('old-failed'), 200);
  });

  it('refuses an item that is not an instance to delete', async () => {
    await assert.rejects(
      carryOutHistoryItem({ item: { id: 'instance:x', what: 'x', action: 'keep', reasons: [] } }, context),
      RangeError,
    );
  });

  it('purges by filter only finished instances created in the window, as purgeInstanceHistoryBy asks', async () => {
    const client = df.getClient(context);
    host.engine.startNew('sequence', { instanceId: 'window-completed' });
    await host.idle();
    const filter = {
      createdTimeFrom: new Date(started),
      createdTimeTo: new Date(clock.now() - dayMs),
      runtimeStatus: [
        df.OrchestrationRuntimeStatus.Completed,
        df.OrchestrationRuntimeStatus.Failed,
        df.OrchestrationRuntimeStatus.Terminated,
      ],
    };
    // Everything finished in the window is gone already; the extension answers 404, the client 0.
    assert.equal((await client.purgeInstanceHistoryBy(filter)).instancesDeleted, 0);
    await clock.advance(2 * dayMs, () => host.idle());
    const purged = await client.purgeInstanceHistoryBy({
      ...filter,
      createdTimeTo: new Date(clock.now() - dayMs),
    });
    assert.equal(purged.instancesDeleted, 3, 'the young, the reused and the window instance');
    for (const id of ['young-completed', 'old-failed', 'window-completed'])
      assert.equal(await statusOf(id), 404);
    assert.equal(await statusOf('old-waiting'), 202, 'a running instance is never purged');
  });
});
