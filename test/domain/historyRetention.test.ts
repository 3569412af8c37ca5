import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historyCutoff, planHistoryRetention, planInstance } from '../../src/domain/historyRetention';
import type { InstanceSummary } from '../../src/domain/historyRetention';

const now = new Date('2026-06-30T03:00:00Z');
const retentionDays = 30;
const daysBefore = (days: number, extraMs = 0): string =>
  new Date(now.getTime() - days * 86_400_000 + extraMs).toISOString();

const instance = (runtimeStatus: string, endedDaysAgo: number, extraMs = 0): InstanceSummary => ({
  instanceId: `release:web:${runtimeStatus}`,
  name: 'release',
  runtimeStatus,
  createdTime: daysBefore(endedDaysAgo + 1),
  lastUpdatedTime: daysBefore(endedDaysAgo, extraMs),
});

describe('planning which durable history is purged', () => {
  const rows: { rule: string; instance: InstanceSummary; action: 'delete' | 'keep'; reason: RegExp }[] = [
    {
      rule: 'a completed instance that ended 31 days ago goes',
      instance: instance('Completed', 31),
      action: 'delete',
      reason: /^completed 31 days ago, past the 30-day retention$/,
    },
    {
      rule: 'a failed instance past the retention goes',
      instance: instance('Failed', 45),
      action: 'delete',
      reason: /^failed 45 days ago/,
    },
    {
      rule: 'a terminated instance past the retention goes',
      instance: instance('Terminated', 90),
      action: 'delete',
      reason: /^terminated 90 days ago/,
    },
    {
      rule: 'one that ended a millisecond before the cutoff goes',
      instance: instance('Completed', 30, -1),
      action: 'delete',
      reason: /past the 30-day retention/,
    },
    {
      rule: 'one that ended exactly at the cutoff is kept: only older history goes',
      instance: instance('Completed', 30),
      action: 'keep',
      reason: /within the 30-day retention/,
    },
    {
      rule: 'a finished instance created long ago that ended recently is kept',
      instance: { ...instance('Completed', 2), createdTime: daysBefore(60) },
      action: 'keep',
      reason: /^completed 2 days ago, within the 30-day retention$/,
    },
    {
      rule: 'a running instance is kept however old',
      instance: instance('Running', 400),
      action: 'keep',
      reason: /^running: only finished instances are purged$/,
    },
    {
      rule: 'a pending instance is kept',
      instance: instance('Pending', 60),
      action: 'keep',
      reason: /^pending/,
    },
    {
      rule: 'an instance continued as new is still running, so kept',
      instance: instance('ContinuedAsNew', 60),
      action: 'keep',
      reason: /^continuedasnew/,
    },
    {
      rule: 'a suspended instance is kept',
      instance: instance('Suspended', 60),
      action: 'keep',
      reason: /^suspended/,
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      const item = planInstance(row.instance, now, retentionDays);
      assert.equal(item.action, row.action);
      assert.equal(item.reasons.length, 1);
      assert.match(item.reasons[0] ?? '', row.reason);
    });
  }

  it('names the instance and carries what purging it needs', () => {
    const old = instance('Failed', 40);
    const item = planInstance(old, now, retentionDays);
    assert.equal(item.id, 'instance:release:web:Failed');
    assert.equal(item.what, `release release:web:Failed (Failed, created ${old.createdTime})`);
    assert.deepEqual(item.detail, {
      instanceId: 'release:web:Failed',
      createdTime: old.createdTime,
      runtimeStatus: 'Failed',
    });
  });

  it('puts the cutoff retention days before now', () => {
    assert.equal(historyCutoff(now, 30).toISOString(), '2026-05-31T03:00:00.000Z');
    assert.equal(historyCutoff(now, 1).toISOString(), '2026-06-29T03:00:00.000Z');
  });

  it('plans one item per instance, oldest first, as a history plan made now', () => {
    const plan = planHistoryRetention(
      [
        { ...instance('Completed', 35), instanceId: 'b' },
        { ...instance('Running', 50), instanceId: 'c' },
        { ...instance('Completed', 35), instanceId: 'a' },
      ],
      now,
      retentionDays,
    );
    assert.equal(plan.kind, 'history');
    assert.equal(plan.at, now.toISOString());
    assert.deepEqual(
      plan.items.map((i) => [i.id, i.action]),
      [
        ['instance:c', 'keep'],
        ['instance:a', 'delete'],
        ['instance:b', 'delete'],
      ],
    );
  });

  it('plans nothing for an empty task hub', () => {
    assert.deepEqual(planHistoryRetention([], now, retentionDays).items, []);
  });
});
