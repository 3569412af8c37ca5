import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { acrPushDelivery } from '../support/acrWebhook';
import type { LocalHost } from '../../dev/host/host';
import type { RunningSandbox } from '../../dev/sandbox/sandbox';
import type { SandboxSite } from '../../dev/sandbox/appService/site';
import { fixture } from '../support/fixtures';
import { httpsGetter } from '../support/https';
import { siteResourceId } from '../../src/azure/siteRef';
import type { AuditEntry } from '../../src/domain/auditEntry';
import { rigRegistry, rigSite, rigSubscription, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

const registry = rigRegistry;
const siteId = siteResourceId(rigSite('web'));
/** How long a passing window waits for its metrics to settle, in sandbox seconds (1.5 real ones here). */
const settleSeconds = 45;

interface ReleaseView {
  id: string;
  target: string;
  kind: 'push' | 'rollback';
  createdTime: string;
  lastUpdatedTime: string;
  runtimeStatus: string;
  phase: string;
  outcome?: string;
  reason?: string;
  image: string;
  previousImage: string | null;
  abortedBy?: { by: string; reason: string; supersededBy?: string };
  waitingFor?: string[];
  requestedBy?: { by: string; reason: string };
  approval?: { approved: boolean; by: string; reason?: string };
  trafficPercent: number;
  windows: {
    step: number;
    trafficPercent: number;
    verdict: string;
    reasons: string[];
    end: string;
    judgedAt: string;
  }[];
}

describe('releases end to end in the sandbox', () => {
  const http = httpsGetter();
  let rig: ReleaseRig;
  let sandbox: RunningSandbox;
  let host: LocalHost;
  let functionKey: string;
  let webhookSecret: string;
  let alertSecret: string;

  /** What the shop's notification webhook received; its URL path is the kind of secret such URLs carry. */
  const notices: { path: string; body: { text: string; release: { releaseId: string } } }[] = [];
  const noticeSecret = randomUUID();
  const noticeServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      notices.push({ path: req.url ?? '', body: JSON.parse(body) as (typeof notices)[number]['body'] });
      res.writeHead(200).end();
    });
  });

  before(async () => {
    await new Promise<void>((resolve) => noticeServer.listen(0, '127.0.0.1', resolve));
    const noticePort = (noticeServer.address() as AddressInfo).port;
    // One sandbox minute is two real seconds, for the sandbox's metrics and the host's durable timers alike.
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: ['web', 'api', 'shop', 'legacy'].map((name) => ({
        name,
        image: `${registry}/contoso/${name}:1.0.0`,
        // The api runs in another region than the rest, so its metrics come from another endpoint.
        ...(name === 'api' ? { location: 'East US' } : {}),
      })),
      frozenEnvironments: 'frozen-env',
      // App Service authentication is on, so the principal headers these tests send are recorded.
      settings: { WEBSITE_AUTH_ENABLED: 'True' },
      targets: [
        rigTarget('web', {
          // Windows are two real seconds here, so the latency gate is scaled down with them; the first
          // failed window rolls back, as the tests of a failing image expect.
          gates: {
            minRequests: 15,
            maxAverageResponseMs: 250,
            metricsSettleSeconds: settleSeconds,
            failureLimit: 1,
          },
          bakeMinutes: 1,
        }),
        {
          name: 'api',
          strategy: 'blueGreen',
          site: { subscriptionId: rigSubscription, resourceGroup: 'rg', name: 'api', slot: 'staging' },
          registry: { loginServer: registry, repository: 'contoso/api' },
          gates: { minRequests: 1, maxAverageResponseMs: 250, metricsSettleSeconds: settleSeconds },
          smokeChecks: [{ path: '/health', expectStatus: 200 }],
          bakeMinutes: 1,
        },
        {
          name: 'shop',
          strategy: 'blueGreen',
          site: { subscriptionId: rigSubscription, resourceGroup: 'rg', name: 'shop', slot: 'staging' },
          registry: { loginServer: registry, repository: 'contoso/shop' },
          smokeChecks: [{ path: '/health', expectStatus: 200 }],
          approval: { required: true, timeoutMinutes: 30 },
          notifications: { webhookUrl: `http://127.0.0.1:${noticePort}/hooks/${noticeSecret}` },
          bakeMinutes: 0,
        },
        {
          name: 'legacy',
          environment: 'frozen-env',
          site: { subscriptionId: rigSubscription, resourceGroup: 'rg', name: 'legacy', slot: 'staging' },
          registry: { loginServer: registry, repository: 'contoso/legacy' },
        },
      ],
    });
    if (!rig.host) throw new Error('the rig runs the host in this process');
    ({ sandbox, host, functionKey, webhookSecret, alertSecret } = { ...rig, host: rig.host });
    void rig.loadOn('web', 200);
  });

  after(async () => {
    http.close();
    noticeServer.close();
    await rig.stop();
  });

  function siteNamed(name: string): SandboxSite {
    return rig.siteNamed(name);
  }

  async function versionInProduction(siteName = 'web'): Promise<string | undefined> {
    const res = await http.get(`https://${siteNamed(siteName).hostName()}/?x-ms-routing-name=self`);
    return res.status === 200 ? (JSON.parse(res.body) as { version: string }).version : undefined;
  }

  /** Waits for the release `id` to finish, then reads it through the status endpoint. */
  function finishedById(id: string): Promise<ReleaseView> {
    return finished(id, (r) => r.instanceId === id);
  }

  /** Waits for the release that matches to finish, then reads it through the status endpoint. */
  async function finished(
    what: string,
    matches: (release: { instanceId: string; input: unknown }) => boolean,
  ): Promise<ReleaseView> {
    const done = await waitFor(
      `the release of ${what} to finish`,
      () => {
        const release = host.engine.list().find((s) => s.name === 'release' && matches(s));
        const ended =
          release && (release.runtimeStatus === 'Completed' || release.runtimeStatus === 'Failed');
        return Promise.resolve(ended ? release : undefined);
      },
      90_000,
    );
    const view = await call(host.url, `/api/releases/${encodeURIComponent(done.instanceId)}`, {
      key: functionKey,
    });
    assert.equal(view.status, 200);
    return view.body as ReleaseView;
  }

  /** The audit trail of release `id`, oldest first, as `GET /api/audit` shows the target's. */
  async function auditOf(id: string, target = 'web'): Promise<AuditEntry[]> {
    const res = await call(host.url, `/api/audit?target=${target}&top=200`, { key: functionKey });
    assert.equal(res.status, 200, res.text);
    return (res.body as { entries: AuditEntry[] }).entries.filter((e) => e.operation?.id === id).reverse();
  }

  /** The release a push started, once it has finished. */
  function releaseOf(
    push: { deliveries: { ok: boolean }[]; digest: string },
    tag: string,
  ): Promise<ReleaseView> {
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
      `the webhook took the push of ${tag}`,
    );
    return finished(tag, (r) => (r.input as { digest?: string }).digest === push.digest);
  }

  it('takes a healthy image through 10 → 50 → 100, swaps it in, and production serves it', async () => {
    const release = await releaseOf(await sandbox.registry.push('contoso/web:2.0.0'), '2.0.0');
    assert.equal(release.outcome, 'succeeded', release.reason);
    assert.deepEqual(
      release.windows.filter((w) => w.step > 0).map((w) => [w.trafficPercent, w.verdict]),
      [
        [10, 'pass'],
        [50, 'pass'],
        [100, 'pass'],
      ],
    );
    for (const window of release.windows)
      assert.ok(
        Date.parse(window.judgedAt) >= Date.parse(window.end) + settleSeconds * 1000,
        `a passing window counts once its metrics have settled: ${JSON.stringify(window)}`,
      );
    assert.equal(await versionInProduction(), '2.0.0');
  });

  it('rolls an image with a 30% error rate back at its first step; production keeps serving the previous one', async () => {
    const release = await releaseOf(
      await sandbox.registry.push('contoso/web:2.1.0', { errorRate: 0.3 }),
      '2.1.0',
    );
    assert.equal(release.outcome, 'rolledBack', release.reason);
    assert.deepEqual(
      release.windows.map((w) => [w.trafficPercent, w.verdict]),
      [[10, 'fail']],
    );
    const [failed] = release.windows;
    assert.ok(
      failed && Date.parse(failed.judgedAt) < Date.parse(failed.end) + settleSeconds * 1000,
      'a failing window is acted on at its end, without waiting for its metrics to settle',
    );
    assert.equal(release.trafficPercent, 0);
    assert.equal(await versionInProduction(), '2.0.0');
    const site = siteNamed('web');
    assert.deepEqual(site.rules(), [], 'no routing rule sends anyone to the bad image');

    const trail = await auditOf(release.id);
    assert.deepEqual(
      trail.map((e) => [e.action, e.outcome, e.by]),
      [
        ['release.started', 'started', { kind: 'push', image: `${registry}/contoso/web:2.1.0` }],
        ['release.window', 'fail', { kind: 'shepherd' }],
        ['release.rollback', 'succeeded', { kind: 'shepherd' }],
        ['release.ended', 'rolledBack', { kind: 'push', image: `${registry}/contoso/web:2.1.0` }],
      ],
    );
    assert.match(trail[2]?.detail ?? '', /^step 1 \(10%\): .*5xx rate [\d.]+% is over the 4\.00% gate/);
  });

  it('rolls back a slow image (latency over the gate) before it reaches half the traffic', async () => {
    const release = await releaseOf(
      await sandbox.registry.push('contoso/web:2.2.0', { latencyMs: 400 }),
      '2.2.0',
    );
    assert.equal(release.outcome, 'rolledBack', release.reason);
    assert.match(
      release.windows[0]?.reasons.join(' ') ?? '',
      /average response \d+ ms is over the 250 ms gate/,
    );
    assert.equal(await versionInProduction(), '2.0.0');
  });

  it('gives an image that never becomes healthy no traffic at all', async () => {
    const release = await releaseOf(
      await sandbox.registry.push('contoso/web:2.3.0', { startDelayMs: 600_000 }),
      '2.3.0',
    );
    assert.equal(release.outcome, 'failed', release.reason);
    assert.match(release.reason ?? '', /did not become healthy within 2 min/);
    assert.deepEqual(release.windows, []);
    assert.equal(release.trafficPercent, 0);
    const site = siteNamed('web');
    assert.deepEqual(site.rules(), []);
    assert.equal(await versionInProduction(), '2.0.0');
  });

  it('starts one release for a push delivered twice, also after that release has finished', async () => {
    const push = await sandbox.registry.push('contoso/web:2.0.0');
    const digest = push.digest;
    // Re-pushing a tag makes a new digest, so this is a new release; let it finish before the next test.
    const first = await releaseOf(push, '2.0.0');
    assert.equal(first.outcome, 'succeeded', first.reason);
    const body = acrPushDelivery({ repository: 'contoso/web', tag: '2.0.0', digest }, registry);
    const again = await call(host.url, '/api/hooks/acr', {
      method: 'POST',
      body,
      headers: { 'x-shepherd-webhook-secret': webhookSecret },
    });
    assert.equal(again.status, 202);
    assert.deepEqual(
      (again.body as { releases: { outcome: string }[] }).releases.map((r) => r.outcome),
      ['duplicate'],
    );
    const releases = host.engine.list().filter((s) => (s.input as { digest?: string }).digest === digest);
    assert.equal(releases.length, 1);
  });

  /** Pushes `tag` (of contoso/web unless told) and waits until its release reaches `phase`; returns its id. */
  async function pushAndWaitFor(tag: string, phase: string, repository = 'contoso/web'): Promise<string> {
    const push = await sandbox.registry.push(`${repository}:${tag}`);
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
    );
    const running = await waitFor(
      `the release of ${tag} to reach ${phase}`,
      () => {
        const release = host.engine
          .list()
          .find((s) => s.name === 'release' && (s.input as { digest?: string }).digest === push.digest);
        return Promise.resolve(
          release && (release.customStatus as { phase?: string } | null)?.phase === phase
            ? release
            : undefined,
        );
      },
      90_000,
    );
    return running.instanceId;
  }

  function alertOn(resourceId: string, condition: 'Fired' | 'Resolved'): unknown {
    const alert = structuredClone(fixture('monitor-alert-metric-static-fired.json')) as {
      data: { essentials: Record<string, unknown> };
    };
    alert.data.essentials.alertTargetIDs = [resourceId];
    alert.data.essentials.monitorCondition = condition;
    if (condition === 'Resolved') alert.data.essentials.resolvedDateTime = new Date().toISOString();
    return alert;
  }

  /** Resolves the fixture's alert, which froze web while it fired; the freeze lifts. */
  async function resolveAlertOn(resourceId: string): Promise<void> {
    const res = await call(host.url, `/api/hooks/azure-monitor?secret=${alertSecret}`, {
      method: 'POST',
      body: alertOn(resourceId, 'Resolved'),
    });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { lifted: ['web'] });
  }

  it('stops a canary within one step when an alert fires on the slot', async () => {
    const releaseId = await pushAndWaitFor('3.0.0', 'canary');
    const res = await call(host.url, `/api/hooks/azure-monitor?secret=${alertSecret}`, {
      method: 'POST',
      body: alertOn(siteResourceId(rigSite('web'), 'staging'), 'Fired'),
    });
    assert.equal(res.status, 202);
    assert.equal((res.body as { aborted: string[] }).aborted.length, 1, JSON.stringify(res.body));
    const release = await finished('3.0.0', (r) => r.instanceId === releaseId);
    assert.equal(release.outcome, 'rolledBack', release.reason);
    assert.match(release.reason ?? '', /^aborted by azure-monitor: alert .* fired$/);
    assert.ok(release.windows.length <= 1, `${release.windows.length} windows were judged`);
    assert.equal(await versionInProduction(), '2.0.0');
    const rollback = (await auditOf(releaseId)).find((e) => e.action === 'release.rollback');
    assert.deepEqual(rollback?.by, { kind: 'alert', rule: 'test-metricAlertRule' });
    assert.match(rollback.detail, /^aborted by azure-monitor: alert test-metricAlertRule fired; /);
    await resolveAlertOn(siteResourceId(rigSite('web'), 'staging'));
  });

  it('swaps back when an alert fires on production during the bake', async () => {
    const releaseId = await pushAndWaitFor('3.1.0', 'baking');
    assert.equal(await versionInProduction(), '3.1.0', 'the swap happened');
    const res = await call(host.url, `/api/hooks/azure-monitor?secret=${alertSecret}`, {
      method: 'POST',
      body: alertOn(siteId, 'Fired'),
    });
    assert.equal(res.status, 202);
    const release = await finished('3.1.0', (r) => r.instanceId === releaseId);
    assert.equal(release.outcome, 'rolledBack', release.reason);
    assert.equal(await versionInProduction(), '2.0.0');
    const trail = await auditOf(releaseId);
    const promoted = trail.findIndex((e) => e.action === 'release.promoted');
    const rollback = trail.findIndex((e) => e.action === 'release.rollback');
    assert.ok(promoted >= 0 && rollback > promoted, trail.map((e) => e.action).join(', '));
    assert.match(
      trail[rollback]?.detail ?? '',
      /; production was swapped back to .*contoso\/web:2\.0\.0@sha256:/,
    );
    await resolveAlertOn(siteId);
  });

  it('rolls back a running release on a person’s request, recording who and why', async () => {
    const releaseId = await pushAndWaitFor('3.2.0', 'canary');
    const res = await call(host.url, '/api/targets/web/rollback', {
      method: 'POST',
      key: functionKey,
      body: { reason: 'customers report errors' },
      headers: { 'x-ms-client-principal-name': 'ana@contoso.example' },
    });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { aborted: [releaseId] });
    const release = await finished('3.2.0', (r) => r.instanceId === releaseId);
    assert.equal(release.outcome, 'rolledBack');
    assert.equal(release.reason, 'aborted by ana@contoso.example: customers report errors');
    assert.deepEqual(release.abortedBy, { by: 'ana@contoso.example', reason: 'customers report errors' });
    assert.equal(await versionInProduction(), '2.0.0');
    const trail = await auditOf(releaseId);
    assert.deepEqual(
      trail.filter((e) => e.action !== 'release.window').map((e) => e.action),
      ['release.started', 'release.rollback', 'release.ended'],
    );
    const rollback = trail.find((e) => e.action === 'release.rollback');
    assert.deepEqual(rollback?.by, { kind: 'person', name: 'ana@contoso.example' });
    assert.match(rollback.detail, /^aborted by ana@contoso\.example: customers report errors; /);
  });

  it('refuses rollbacks and alerts it cannot act on; a resolved alert with nothing frozen lifts nothing', async () => {
    const noReason = await call(host.url, '/api/targets/web/rollback', {
      method: 'POST',
      key: functionKey,
      body: {},
    });
    assert.equal(noReason.status, 400);
    const essay = await call(host.url, '/api/targets/web/rollback', {
      method: 'POST',
      key: functionKey,
      body: { reason: 'x'.repeat(1001) },
    });
    assert.equal(essay.status, 400);
    assert.deepEqual((essay.body as { errors: unknown }).errors, [
      { path: 'reason', message: 'keep it under 1000 characters' },
    ]);
    const unknown = await call(host.url, '/api/targets/nope/rollback', {
      method: 'POST',
      key: functionKey,
      body: { reason: 'x' },
    });
    assert.equal(unknown.status, 404);
    const noKey = await call(host.url, '/api/targets/web/rollback', {
      method: 'POST',
      body: { reason: 'x' },
    });
    assert.equal(noKey.status, 401);
    const wrongSecret = await call(host.url, '/api/hooks/azure-monitor?secret=nope', {
      method: 'POST',
      body: alertOn(siteId, 'Fired'),
    });
    assert.equal(wrongSecret.status, 401);
    const resolved = await call(host.url, `/api/hooks/azure-monitor?secret=${alertSecret}`, {
      method: 'POST',
      body: alertOn(siteId, 'Resolved'),
    });
    assert.deepEqual(resolved.body, { lifted: [] });
    const malformed = await call(host.url, `/api/hooks/azure-monitor?secret=${alertSecret}`, {
      method: 'POST',
      body: { schemaId: 'other' },
    });
    assert.equal(malformed.status, 400);
  });

  it('supersedes a canary with a newer push: the running one rolls back first, then the new one goes out', async () => {
    const firstId = await pushAndWaitFor('4.0.0', 'canary');
    const second = await releaseOf(await sandbox.registry.push('contoso/web:4.1.0'), '4.1.0');
    const first = await finishedById(firstId);
    assert.equal(first.outcome, 'superseded', first.reason);
    assert.equal(first.abortedBy?.supersededBy, second.id);
    assert.equal(first.trafficPercent, 0);
    assert.equal(second.outcome, 'succeeded', second.reason);
    assert.deepEqual(second.waitingFor, [firstId], 'the new release waited for the old one to roll back');
    assert.ok(
      Date.parse(first.lastUpdatedTime) < Date.parse(second.windows[0]?.end ?? ''),
      'the old release had finished before the new one was judged',
    );
    assert.equal(await versionInProduction(), '4.1.0');
    assert.deepEqual(siteNamed('web').rules(), []);
  });

  it('lists a target’s releases newest first', async () => {
    const res = await call(host.url, '/api/targets/web/releases?top=3', { key: functionKey });
    assert.equal(res.status, 200);
    const { releases } = res.body as { releases: ReleaseView[] };
    assert.equal(releases.length, 3);
    assert.ok(releases.every((r) => r.id.startsWith('release:web:') && r.target === 'web'));
    const created = releases.map((r) => Date.parse(r.createdTime));
    assert.deepEqual(
      created,
      [...created].sort((a, b) => b - a),
    );
    assert.match(releases[0]?.image ?? '', /contoso\/web:4\.1\.0@/);
    assert.equal((await call(host.url, '/api/targets/web/releases?top=0', { key: functionKey })).status, 400);
    assert.equal((await call(host.url, '/api/targets/nope/releases', { key: functionKey })).status, 404);
    assert.equal((await call(host.url, '/api/targets/web/releases')).status, 401);
  });

  it('waits for a person’s approval before moving traffic, and records who gave it', async () => {
    const releaseId = await pushAndWaitFor('2.0.0', 'awaitingApproval', 'contoso/shop');
    assert.equal(siteNamed('shop').rules().length, 0, 'no traffic moved while it waits');
    assert.equal(await versionInProduction('shop'), '1.0.0');
    const path = `/api/releases/${encodeURIComponent(releaseId)}`;
    assert.equal((await call(host.url, `${path}/approve`, { method: 'POST' })).status, 401);
    const badBody = await call(host.url, `${path}/approve`, { method: 'POST', key: functionKey, body: [1] });
    assert.equal(badBody.status, 400);
    const approved = await call(host.url, `${path}/approve`, {
      method: 'POST',
      key: functionKey,
      body: { reason: 'change 42' },
      headers: { 'x-ms-client-principal-name': 'ana@contoso.example' },
    });
    assert.equal(approved.status, 202);
    const release = await finishedById(releaseId);
    assert.equal(release.outcome, 'succeeded', release.reason);
    const { approval } = release;
    assert.ok(approval, 'the approval is recorded');
    assert.deepEqual(
      { by: approval.by, approved: approval.approved, reason: approval.reason },
      { by: 'ana@contoso.example', approved: true, reason: 'change 42' },
    );
    assert.equal(await versionInProduction('shop'), '2.0.0');
    const late = await call(host.url, `${path}/approve`, { method: 'POST', key: functionKey });
    assert.equal(late.status, 409, 'a finished release cannot be approved');

    const told = notices.filter((n) => n.body.release.releaseId === releaseId);
    assert.deepEqual(
      told.map((n) => n.path),
      [`/hooks/${noticeSecret}`, `/hooks/${noticeSecret}`],
    );
    assert.match(
      told[0]?.body.text ?? '',
      /^shop: .*contoso\/shop:2\.0\.0@sha256:\w+ is healthy on its slot and waits for approval/,
    );
    assert.match(told[1]?.body.text ?? '', /^shop: .* is live: the new image passed every check/);
    const stored = JSON.stringify(host.engine.get(releaseId));
    assert.ok(!stored.includes(noticeSecret), 'the webhook URL is not in the release’s durable state');
    assert.ok(!JSON.stringify(release).includes(noticeSecret));
  });

  it('ends a rejected release without moving traffic', async () => {
    const releaseId = await pushAndWaitFor('2.1.0', 'awaitingApproval', 'contoso/shop');
    const path = `/api/releases/${encodeURIComponent(releaseId)}`;
    const rejected = await call(host.url, `${path}/reject`, {
      method: 'POST',
      key: functionKey,
      headers: { 'x-ms-client-principal-name': 'bo@contoso.example' },
    });
    assert.equal(rejected.status, 202);
    const release = await finishedById(releaseId);
    assert.equal(release.outcome, 'rejected');
    assert.equal(release.reason, 'rejected by bo@contoso.example');
    assert.equal(await versionInProduction('shop'), '2.0.0');
    assert.deepEqual(siteNamed('shop').rules(), []);
    const unknown = await call(host.url, '/api/releases/release%3Ashop%3Anope/approve', {
      method: 'POST',
      key: functionKey,
    });
    assert.equal(unknown.status, 404);
  });

  it('swaps a blue-green release in once the slot proves healthy, with no canary steps, judged on its own region’s metrics', async () => {
    const api = siteNamed('api');
    // The bake judges production on its own traffic, so the api gets some.
    void rig.loadOn('api', 50);
    const push = await sandbox.registry.push('contoso/api:2.0.0');
    const release = await releaseOf(push, 'api 2.0.0');
    assert.equal(release.outcome, 'succeeded', release.reason);
    assert.deepEqual(
      release.windows.map((w) => [w.step, w.verdict]),
      [[0, 'pass']],
      'only the bake was judged, on the metrics of the api’s region (East US, the others being in West Europe)',
    );
    const res = await http.get(`https://${api.hostName()}/?x-ms-routing-name=self`);
    assert.equal((JSON.parse(res.body) as { version: string }).version, '2.0.0');
    assert.deepEqual(
      api.tags,
      { 'shepherd.known-good': release.image, 'shepherd.known-good-before': release.previousImage },
      'the site records what is known good',
    );
  });

  it('puts the previous image back when a person rolls back after a promotion', async () => {
    const res = await call(host.url, '/api/targets/api/rollback', {
      method: 'POST',
      key: functionKey,
      body: { reason: '2.0.0 corrupts carts' },
      headers: { 'x-ms-client-principal-name': 'ana@contoso.example' },
    });
    assert.equal(res.status, 202);
    const restoreId = (res.body as { rollingBack: string }).rollingBack;
    assert.equal(res.headers.get('location'), `/api/releases/${encodeURIComponent(restoreId)}`);
    const restore = await finishedById(restoreId);
    assert.equal(restore.outcome, 'succeeded', restore.reason);
    assert.equal(restore.kind, 'rollback');
    assert.deepEqual(restore.requestedBy, { by: 'ana@contoso.example', reason: '2.0.0 corrupts carts' });
    assert.match(restore.image, /contoso\/api:1\.0\.0$/);
    assert.equal(await versionInProduction('api'), '1.0.0');
    assert.deepEqual(siteNamed('api').tags, {
      'shepherd.known-good': restore.image,
      'shepherd.known-good-before': '',
    });

    // Nothing older is known good now, so a second rollback has nowhere to go and changes nothing.
    const again = await call(host.url, '/api/targets/api/rollback', {
      method: 'POST',
      key: functionKey,
      body: { reason: 'once more' },
    });
    const refused = await finishedById((again.body as { rollingBack: string }).rollingBack);
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.reason ?? '', /^nothing to roll back to: production already runs/);
    assert.equal(await versionInProduction('api'), '1.0.0');
  });

  it('records a push to a frozen environment as refused, and deploys nothing', async () => {
    const legacy = siteNamed('legacy');
    const release = await releaseOf(await sandbox.registry.push('contoso/legacy:2.0.0'), 'legacy 2.0.0');
    assert.equal(release.outcome, 'refused');
    assert.match(release.reason ?? '', /frozen-env environment are frozen/);
    assert.equal(legacy.slot('staging')?.config.siteConfig.linuxFxVersion, '', 'the slot was left alone');
  });

  it('refuses webhooks without their secret or with a wrong one, and malformed ones, starting nothing', async () => {
    const before = host.engine.list().length;
    const unauthorized = await call(host.url, '/api/hooks/acr', { method: 'POST', body: { action: 'push' } });
    assert.equal(unauthorized.status, 401);
    const wrongSecret = await call(host.url, '/api/hooks/acr', {
      method: 'POST',
      body: { action: 'push' },
      headers: { 'x-shepherd-webhook-secret': `${webhookSecret}x` },
    });
    assert.equal(wrongSecret.status, 401);
    const alertWithoutSecret = await call(host.url, '/api/hooks/azure-monitor', {
      method: 'POST',
      body: alertOn(siteId, 'Fired'),
    });
    assert.equal(alertWithoutSecret.status, 401);
    const malformed = await call(host.url, '/api/hooks/acr', {
      method: 'POST',
      body: { action: 'push' },
      headers: { 'x-shepherd-webhook-secret': webhookSecret },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.headers.get('content-type'), 'application/problem+json');
    assert.equal(host.engine.list().length, before);
  });
});
