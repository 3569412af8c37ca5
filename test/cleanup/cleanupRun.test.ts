import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import type { AuditEntry } from '../../src/domain/auditEntry';
import type { CleanupItem, CleanupKind } from '../../src/domain/cleanupPlan';
import type { Notice } from '../../src/domain/notice';
import { cleanup, cleanupChunk } from '../../src/orchestrations/cleanup';
import { cleanupChunkOrchestrator, cleanupOrchestrator } from '../../src/functionNames';
import type { CleanupInput, CleanupStatus } from '../../src/orchestrations/cleanupModel';
import type { ActivityFake } from '../support/durableReplay';
import { DurableReplay, registerForReplay } from '../support/durableReplay';

/** A world the cleanup activities act on: the plan they make, what they delete, what they refuse. */
class FakeCleanupWorld implements ActivityFake {
  readonly carriedOut: string[] = [];
  readonly notices: { target: string; notice: Notice }[] = [];
  readonly audit: AuditEntry[] = [];
  planFails = false;
  /** Items whose carrying out Azure always refuses. */
  readonly refused = new Set<string>();

  constructor(readonly items: CleanupItem[]) {}

  held(): number {
    return 0;
  }

  run(name: string, input: Record<string, unknown>): Promise<unknown> {
    if (name.startsWith('plan'))
      return Promise.resolve(
        this.planFails
          ? { ok: false, status: 503, reason: 'listing the repository failed (503)' }
          : { ok: true, value: { kind: 'registry', at: input.now, items: this.items } },
      );
    if (name.startsWith('carryOut')) {
      const { id } = input.item as CleanupItem;
      if (this.refused.has(id))
        return Promise.resolve({ ok: false, status: 409, reason: `${id} is locked (409)` });
      this.carriedOut.push(id);
      return Promise.resolve({ ok: true, value: 'done' });
    }
    if (name === 'notifyPeople') {
      this.notices.push(input as unknown as { target: string; notice: Notice });
      return Promise.resolve({ ok: true, value: undefined });
    }
    if (name === 'recordAudit') {
      this.audit.push(...(input as unknown as AuditEntry[]));
      return Promise.resolve({ ok: true, value: undefined });
    }
    throw new Error(`no activity ${name}`);
  }
}

const activities = [
  'planRegistryCleanup',
  'carryOutRegistryItem',
  'planDriftCleanup',
  'carryOutDriftItem',
  'notifyPeople',
  'recordAudit',
];

function item(n: number, action: CleanupItem['action'], reasons: string[], target = 'web'): CleanupItem {
  return { id: `item-${n}`, what: `contoso/web:${n}`, action, reasons, detail: { target } };
}

let replay: DurableReplay<FakeCleanupWorld>;
afterEach(() => replay.stop());

async function run(
  world: FakeCleanupWorld,
  kind: CleanupKind,
): Promise<{ id: string; status: CleanupStatus }> {
  const functions = registerForReplay(cleanupOrchestrator, cleanup, activities);
  registerForReplay(cleanupChunkOrchestrator, cleanupChunk, []);
  replay = new DurableReplay(functions, world, new VirtualClock(Date.parse('2026-11-30T02:00:00Z')));
  const input: CleanupInput = { kind, requestedBy: { via: 'schedule', by: 'shepherd' } };
  const id = await replay.startInstance(cleanupOrchestrator, `cleanup:${kind}:test`, input);
  return { id, status: (await replay.finish(id)) as CleanupStatus };
}

describe('a cleanup run replayed under virtual time', () => {
  it('changes nothing when the plan cannot be made', async () => {
    const world = new FakeCleanupWorld([item(1, 'delete', ['older than 30 days'])]);
    world.planFails = true;
    const { status } = await run(world, 'registry');
    assert.equal(status.outcome, 'failed');
    assert.match(status.reason ?? '', /nothing was changed: the plan could not be made/);
    assert.deepEqual(world.carriedOut, []);
    assert.equal(world.audit.at(0)?.action, 'cleanup.ran');
  });

  it('carries out every item in chunks, going on past one Azure refuses, and counts what it did', async () => {
    const items = [
      ...Array.from({ length: 250 }, (_, n) => item(n, 'delete', ['older than 30 days'])),
      item(900, 'keep', ['running in web/production']),
      item(901, 'keep', ['known good']),
      item(902, 'keep', ['known good']),
    ];
    const world = new FakeCleanupWorld(items);
    world.refused.add('item-17');
    const { id, status } = await run(world, 'registry');
    assert.equal(world.carriedOut.length, 249);
    assert.ok(!world.carriedOut.includes('item-17'));
    assert.deepEqual(status.counts, {
      done: 249,
      failed: 1,
      reported: 0,
      kept: { 'running in web/production': 1, 'known good': 2 },
    });
    assert.equal(status.outcome, 'partlyFailed');
    assert.deepEqual(
      status.failures.map((f) => [f.id, f.what]),
      [['item-17', 'contoso/web:17']],
    );
    assert.match(status.failures.at(0)?.reason ?? '', /locked \(409\)/);
    assert.equal(
      replay.engine.list().filter((s) => s.instanceId.startsWith(`${id}:`)).length,
      3,
      'three chunks of at most 100 items each, each with a history of its own',
    );
    const ran = world.audit.find((e) => e.action === 'cleanup.ran');
    assert.equal(
      ran?.detail,
      '249 deleted, 1 failed, 0 reported; kept: 2 known good, 1 running in web/production',
    );
    assert.deepEqual(ran.subject, { kind: 'cleanup', name: 'registry' });
  });

  it('keeps its custom status within Azure’s limit however many items fail', async () => {
    const world = new FakeCleanupWorld(
      Array.from({ length: 300 }, (_, n) => item(n, 'delete', ['untagged for 9 days'])),
    );
    for (let n = 0; n < 300; n++) world.refused.add(`item-${n}`);
    const { id, status } = await run(world, 'registry');
    assert.equal(status.failures.length, 300, 'the output keeps every failure');
    const shown = JSON.stringify(replay.customStatus(id));
    assert.ok(shown.length <= 4_096, `${shown.length} characters`);
  });

  it('puts drift right, reports the rest to the audit trail and each target’s people', async () => {
    const world = new FakeCleanupWorld([
      item(1, 'fix', ['a 30 % routing rule with no release running'], 'web'),
      item(2, 'report', ['production runs contoso/api:9 but the known good image is contoso/api:8'], 'api'),
      item(3, 'keep', ['as Shepherd last set it'], 'shop'),
    ]);
    const { status } = await run(world, 'drift');
    assert.deepEqual(world.carriedOut, ['item-1']);
    assert.equal(status.counts.done, 1);
    assert.equal(status.counts.reported, 1);
    assert.deepEqual(
      status.reported?.map((r) => r.id),
      ['item-2'],
    );
    assert.deepEqual(
      world.audit.filter((e) => e.action === 'drift.found').map((e) => [e.subject.name, e.outcome]),
      [
        ['web', 'fixed'],
        ['api', 'reported'],
      ],
    );
    assert.deepEqual(
      world.notices.map((n) => [n.target, n.notice.urgent]),
      [
        ['web', false],
        ['api', true],
      ],
    );
    assert.match(
      world.notices.at(1)?.notice.text ?? '',
      /api drifted .*needs a person: contoso\/web:2: production runs/,
    );
  });
});
