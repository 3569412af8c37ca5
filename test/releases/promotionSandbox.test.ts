import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalHost } from '../../dev/host/host';
import type { AuditEntry } from '../../src/domain/auditEntry';
import { releaseInstanceId } from '../../src/domain/releaseId';
import { httpsGetter } from '../support/https';
import { deliverAcrPush, rigRegistry, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

const repository = { loginServer: rigRegistry, repository: 'contoso/web' };

interface Link {
  target: string;
  releaseId: string;
}

interface ReleaseView {
  id: string;
  runtimeStatus: string;
  phase: string;
  outcome?: string;
  reason?: string;
  image: string;
  promotedFrom?: Link;
  promotedTo?: Link;
}

interface JourneyView {
  digest: string;
  chains: {
    targets: {
      target: string;
      environment: string;
      release: {
        id: string;
        outcome?: string;
        phase?: string;
        promotedFrom?: Link;
        promotedTo?: Link;
      } | null;
      attempts: unknown[];
    }[];
  }[];
}

describe('the promotion chain end to end in the sandbox: web-staging promotes to web-prod', () => {
  const http = httpsGetter();
  let rig: ReleaseRig;
  let host: LocalHost;

  before(async () => {
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: ['web-staging', 'web-prod'].map((name) => ({ name, image: `${rigRegistry}/contoso/web:1.0.0` })),
      targets: [
        // Both follow contoso/web: a push releases to staging only; production takes it from staging.
        rigTarget('web-staging', {
          environment: 'staging',
          registry: repository,
          strategy: 'blueGreen',
          gates: { minRequests: 5, maxAverageResponseMs: 250, metricsSettleSeconds: 45 },
          bakeMinutes: 1,
          promotesTo: 'web-prod',
        }),
        rigTarget('web-prod', {
          registry: repository,
          strategy: 'blueGreen',
          approval: { required: true, timeoutMinutes: 30 },
          bakeMinutes: 0,
        }),
      ],
    });
    if (!rig.host) throw new Error('the rig runs the host in this process');
    host = rig.host;
    // The staging bake judges production on its own traffic.
    void rig.loadOn('web-staging', 100);
  });

  after(async () => {
    http.close();
    await rig.stop();
  });

  async function versionIn(site: string): Promise<string | undefined> {
    const res = await http.get(`https://${rig.siteNamed(site).hostName()}/?x-ms-routing-name=self`);
    return res.status === 200 ? (JSON.parse(res.body) as { version: string }).version : undefined;
  }

  /** A GET with the function key, or without any key (`null`). */
  function get(path: string, key: string | null = rig.functionKey) {
    return call(host.url, path, key === null ? {} : { key });
  }

  /** The release `id`, through its status route, once it has ended. */
  function ended(id: string): Promise<ReleaseView> {
    return waitFor(
      `release ${id} to end`,
      async () => {
        const res = await get(`/api/releases/${encodeURIComponent(id)}`);
        const view = res.body as ReleaseView;
        return res.status === 200 && view.runtimeStatus === 'Completed' ? view : undefined;
      },
      90_000,
    );
  }

  /** Pushes contoso/web:`tag` with `faults`; answers its digest once the webhook took it. */
  async function push(tag: string, faults: { errorRate?: number } = {}): Promise<string> {
    const pushed = await rig.sandbox.registry.push(`contoso/web:${tag}`, faults);
    assert.deepEqual(
      pushed.deliveries.map((d) => d.ok),
      [true],
    );
    return pushed.digest;
  }

  let promotedDigest: string;
  let failedDigest: string;

  it('releases a push to staging only; once staging succeeds, the same digest’s production release waits for approval, and approved, production serves it', async () => {
    promotedDigest = await push('2.0.0');
    const stagingId = releaseInstanceId('web-staging', promotedDigest);
    const prodId = releaseInstanceId('web-prod', promotedDigest);

    const staging = await ended(stagingId);
    assert.equal(staging.outcome, 'succeeded', staging.reason);
    assert.deepEqual(staging.promotedTo, { target: 'web-prod', releaseId: prodId });
    assert.equal(await versionIn('web-staging'), '2.0.0');

    const waiting = await waitFor(
      'the production release to wait for approval',
      async () => {
        const view = (await get(`/api/releases/${encodeURIComponent(prodId)}`)).body as ReleaseView;
        return view.phase === 'awaitingApproval' ? view : undefined;
      },
      90_000,
    );
    assert.equal(waiting.image, staging.image, 'the very image staging released, pinned by digest');
    assert.deepEqual(waiting.promotedFrom, { target: 'web-staging', releaseId: stagingId });
    assert.equal(await versionIn('web-prod'), '1.0.0', 'nothing reaches production before approval');

    // The push delivered again: staging's release is there, production waits for the promotion.
    const again = await deliverAcrPush(rig, {
      repository: 'contoso/web',
      digest: promotedDigest,
      tag: '2.0.0',
    });
    assert.equal(again.status, 202, again.text);
    assert.deepEqual((again.body as { releases: unknown[] }).releases, [
      { target: 'web-staging', outcome: 'duplicate', releaseId: stagingId },
      { target: 'web-prod', outcome: 'ignored', reason: 'waits for promotion from web-staging' },
    ]);

    const approved = await call(host.url, `/api/releases/${encodeURIComponent(prodId)}/approve`, {
      method: 'POST',
      key: rig.functionKey,
      body: { reason: 'staging looks good' },
    });
    assert.equal(approved.status, 202, approved.text);
    const prod = await ended(prodId);
    assert.equal(prod.outcome, 'succeeded', prod.reason);
    assert.equal(await versionIn('web-prod'), '2.0.0');
    assert.equal(prod.promotedTo, undefined, 'production promotes nowhere');

    const trail = await get('/api/audit?target=web-staging&top=100');
    const promotion = (trail.body as { entries: AuditEntry[] }).entries.find(
      (e) => e.action === 'release.promotion' && e.operation?.id === stagingId,
    );
    assert.equal(promotion?.outcome, 'started');
    assert.match(promotion.detail, new RegExp(`promoted to web-prod: release ${prodId} started$`));
  });

  it('promotes nothing when staging’s bake fails and rolls back', async () => {
    failedDigest = await push('2.1.0', { errorRate: 0.3 });
    const staging = await ended(releaseInstanceId('web-staging', failedDigest));
    assert.equal(staging.outcome, 'rolledBack', staging.reason);
    assert.match(staging.reason ?? '', /^production failed its bake/);
    assert.equal(staging.promotedTo, undefined);
    assert.equal(await versionIn('web-staging'), '2.0.0');
    // The promotion runs inside staging's release, which has ended: nothing can start it later.
    const prod = await get(
      `/api/releases/${encodeURIComponent(releaseInstanceId('web-prod', failedDigest))}`,
    );
    assert.equal(prod.status, 404);
    assert.equal(await versionIn('web-prod'), '2.0.0');
  });

  it('shows one image’s way through the chain', async () => {
    const way = await get(`/api/images/${promotedDigest}`);
    assert.equal(way.status, 200, way.text);
    const view = way.body as JourneyView;
    assert.equal(view.digest, promotedDigest);
    assert.deepEqual(
      view.chains.map((c) =>
        c.targets.map((t) => [t.target, t.environment, t.release?.outcome, t.release?.id, t.attempts.length]),
      ),
      [
        [
          ['web-staging', 'staging', 'succeeded', releaseInstanceId('web-staging', promotedDigest), 0],
          ['web-prod', 'production', 'succeeded', releaseInstanceId('web-prod', promotedDigest), 0],
        ],
      ],
    );
    assert.deepEqual(view.chains[0]?.targets[1]?.release?.promotedFrom, {
      target: 'web-staging',
      releaseId: releaseInstanceId('web-staging', promotedDigest),
    });

    const stopped = (await get(`/api/images/${failedDigest}`)).body as JourneyView;
    assert.deepEqual(
      stopped.chains[0]?.targets.map((t) => [t.target, t.release?.outcome ?? null]),
      [
        ['web-staging', 'rolledBack'],
        ['web-prod', null],
      ],
    );
  });

  it('answers a malformed digest with 400, an image no target released with 404, and no key with 401', async () => {
    const malformed = await get('/api/images/sha256:not-hex');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.headers.get('content-type'), 'application/problem+json');
    assert.match((malformed.body as { detail: string }).detail, /expected "sha256:" followed by 64/);
    const unknown = await get(`/api/images/sha256:${'0'.repeat(64)}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/problem+json');
    assert.equal((await get(`/api/images/${promotedDigest}`, null)).status, 401);
  });

  it('stops production’s release of an image staging takes back after its own release has ended', async () => {
    const digest = await push('2.2.0');
    const prodId = releaseInstanceId('web-prod', digest);
    const staging = await ended(releaseInstanceId('web-staging', digest));
    assert.equal(staging.outcome, 'succeeded', staging.reason);
    await waitFor(
      'the production release to wait for approval',
      async () => {
        const view = (await get(`/api/releases/${encodeURIComponent(prodId)}`)).body as ReleaseView;
        return view.phase === 'awaitingApproval' ? view : undefined;
      },
      90_000,
    );

    const asked = await call(host.url, '/api/targets/web-staging/rollback', {
      method: 'POST',
      key: rig.functionKey,
      body: { reason: 'checkout breaks in staging' },
    });
    assert.equal(asked.status, 202, asked.text);
    const rollbackId = (asked.body as { rollingBack: string }).rollingBack;

    const prod = await ended(prodId);
    assert.equal(prod.outcome, 'rolledBack', prod.reason);
    assert.match(
      prod.reason ?? '',
      /web-staging is rolling back the image it promoted: checkout breaks in staging/,
    );
    const rollback = await ended(rollbackId);
    assert.equal(rollback.outcome, 'succeeded', rollback.reason);
    assert.match(rollback.reason ?? '', new RegExp(`; ${prodId} on web-prod was asked to stop$`));
    assert.equal(await versionIn('web-staging'), '2.0.0');
    assert.equal(
      await versionIn('web-prod'),
      '2.0.0',
      'the image staging took back never reached production',
    );
  });
});
