import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalHost } from '../../dev/host/host';
import type { AuditEntry } from '../../src/domain/auditEntry';
import type { CleanupPlan } from '../../src/domain/cleanupPlan';
import type { CleanupStatus } from '../../src/orchestrations/cleanupModel';
import { rigRegistry, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

describe('cleanup runs over HTTP and on schedule, end to end on the local host and the sandbox', () => {
  let rig: ReleaseRig;
  let host: LocalHost;

  before(async () => {
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
      targets: [rigTarget('web')],
    });
    if (!rig.host) throw new Error('the rig runs the host in this process');
    host = rig.host;
  });

  after(async () => {
    await rig.stop();
  });

  const ask = (method: string, path: string, body?: unknown) =>
    call(host.url, path, { method, key: rig.functionKey, ...(body === undefined ? {} : { body }) });

  /** A canary share nobody set: what a person's portal click, or a release that died half way, leaves. */
  async function strayRoutingRule(): Promise<void> {
    await rig
      .siteNamed('web')
      .updateSiteConfig(
        'production',
        { experiments: { rampUpRules: [{ name: 'staging', reroutePercentage: 30 }] } },
        false,
      );
  }

  async function finished(runId: string): Promise<CleanupStatus & { runtimeStatus: string }> {
    return waitFor(
      `${runId} to end`,
      async () => {
        const res = await ask('GET', `/api/cleanup/runs/${encodeURIComponent(runId)}`);
        assert.equal(res.status, 200, res.text);
        const view = res.body as CleanupStatus & { runtimeStatus: string };
        return view.runtimeStatus === 'Completed' ? view : undefined;
      },
      60_000,
    );
  }

  it('answers a dry run with the plan, changing nothing', async () => {
    await strayRoutingRule();
    const res = await ask('POST', '/api/cleanup/drift?dryRun=true');
    assert.equal(res.status, 200, res.text);
    const plan = res.body as CleanupPlan & { dryRun: boolean };
    assert.equal(plan.dryRun, true);
    const fix = plan.items.find((i) => i.id === 'drift:web:routing');
    assert.equal(fix?.action, 'fix');
    assert.ok(fix.reasons.length > 0);
    assert.deepEqual(rig.siteNamed('web').rules(), [{ name: 'staging', reroutePercentage: 30 }]);
  });

  it('clears a stray routing rule in a run, recording it in the audit trail', async () => {
    const res = await ask('POST', '/api/cleanup/drift', { reason: 'someone clicked in the portal' });
    assert.equal(res.status, 202, res.text);
    const { runId } = res.body as { runId: string };
    assert.equal(res.headers.get('location'), `/api/cleanup/runs/${encodeURIComponent(runId)}`);
    const run = await finished(runId);
    assert.equal(run.outcome, 'succeeded', run.reason);
    assert.equal(run.counts.done, 1);
    assert.deepEqual(rig.siteNamed('web').rules(), []);
    const trail = (await ask('GET', '/api/audit?target=web')).body as { entries: AuditEntry[] };
    assert.deepEqual(
      trail.entries.filter((e) => e.action === 'drift.found').map((e) => e.outcome),
      ['fixed'],
    );
    const ran = (await ask('GET', '/api/audit?cleanup=drift')).body as { entries: AuditEntry[] };
    assert.deepEqual(ran.entries.at(0)?.by, { kind: 'person', name: 'a holder of the function key' });
  });

  it('plans a history purge that keeps what is young', async () => {
    const res = await ask('POST', '/api/cleanup/history?dryRun=true');
    assert.equal(res.status, 200, res.text);
    const plan = res.body as CleanupPlan;
    assert.equal(plan.kind, 'history');
    assert.ok(
      plan.items.every((i) => i.action !== 'delete'),
      'nothing here is 30 days old',
    );
  });

  it('refuses what it cannot do with a clear 4xx, starting nothing', async () => {
    const before = host.engine.list().length;
    for (const [path, status] of [
      ['/api/cleanup/everything', 404],
      ['/api/cleanup/drift?dryRun=maybe', 400],
      ['/api/cleanup/drift?force=true', 400],
    ] as const) {
      const res = await ask('POST', path);
      assert.equal(res.status, status, path);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
    }
    const badBody = await ask('POST', '/api/cleanup/drift', { why: 'x' });
    assert.equal(badBody.status, 400);
    for (const [method, path] of [
      ['POST', '/api/cleanup/drift'],
      ['POST', '/api/cleanup/drift?dryRun=true'],
      ['GET', '/api/cleanup/runs/x'],
    ] as const) {
      const noKey = await call(host.url, path, { method });
      assert.equal(noKey.status, 401, `${method} ${path} without a key`);
    }
    const unknownRun = await ask('GET', '/api/cleanup/runs/release%3Aweb%3A1');
    assert.equal(unknownRun.status, 404);
    assert.equal(host.engine.list().length, before);
  });

  it('registers a timer for each cleanup', async () => {
    const res = await ask('GET', '/api/health/details');
    assert.equal(res.status, 200);
    const { functions } = res.body as { functions: string[] };
    assert.deepEqual(
      functions.filter((f) => f.startsWith('scheduled') && f.endsWith('Cleanup')),
      [
        'scheduledBackupsCleanup',
        'scheduledDriftCleanup',
        'scheduledHistoryCleanup',
        'scheduledRegistryCleanup',
      ],
    );
  });
});
