import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScaledClock } from '../../dev/host/clock';
import { LocalHost } from '../../dev/host/host';
import { freePort } from '../../dev/freePort';
import { sandboxConfigSchema } from '../../dev/sandbox/config';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import { startSandbox } from '../../dev/sandbox/sandbox';
import type { RunningSandbox } from '../../dev/sandbox/sandbox';
import { httpsGetter } from '../support/https';
import { call, repoRoot, tempDir, waitFor } from '../support/testHost';

const sub = '00000000-0000-0000-0000-0000000000e2';
const registry = 'sandboxregistry.azurecr.io';
const webhookSecret = 'e2e-webhook-secret-0123456789';
const functionKey = 'e2e-function-key-0123456789';

interface ReleaseView {
  runtimeStatus: string;
  phase: string;
  outcome?: string;
  reason?: string;
  trafficPercent: number;
  windows: { step: number; trafficPercent: number; verdict: string; reasons: string[] }[];
}

describe('releases end to end in the sandbox', () => {
  // One sandbox minute is two real seconds, for the sandbox's metrics and the host's durable timers alike.
  const clock = new ScaledClock(2);
  const identity = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: randomUUID() };
  const http = httpsGetter();
  const stopLoad = new AbortController();
  let sandbox: RunningSandbox;
  let host: LocalHost;
  let load: Promise<unknown>;

  before(async () => {
    const port = await freePort();
    sandbox = await startSandbox(
      sandboxConfigSchema.parse({
        port: 0,
        sites: [
          { subscriptionId: sub, resourceGroup: 'rg', name: 'web', image: `${registry}/contoso/web:1.0.0` },
        ],
        registry: {
          loginServer: registry,
          webhooks: [
            {
              name: 'shepherd',
              serviceUri: `http://localhost:${port}/api/hooks/acr`,
              customHeaders: { 'x-shepherd-webhook-secret': webhookSecret },
              actions: ['push'],
            },
          ],
        },
        keyVault: { vaultName: 'e2e-vault' },
      }),
      identity,
      clock,
    );
    const targetsFile = join(tempDir('targets'), 'targets.json');
    writeFileSync(
      targetsFile,
      JSON.stringify({
        targets: [
          {
            name: 'web',
            site: { subscriptionId: sub, resourceGroup: 'rg', name: 'web', slot: 'staging' },
            registry: { loginServer: registry, repository: 'contoso/web' },
            canary: { steps: [10, 50, 100], intervalMinutes: 1 },
            // Windows are two real seconds here, so the latency gate is scaled down with them.
            gates: { minRequests: 15, maxAverageResponseMs: 250 },
            warmUp: { healthPath: '/health', timeoutMinutes: 2 },
            // The sample app's injected errors spare /health, so a faulty image reaches its canary.
            smokeChecks: [{ path: '/health', expectStatus: 200 }],
            bakeMinutes: 1,
          },
        ],
      }),
    );
    host = await LocalHost.start({
      appDir: repoRoot,
      port,
      clock,
      dataDir: tempDir('e2e-host'),
      settings: {
        Values: {
          SHEPHERD_TASK_HUB: 'ShepherdE2e',
          SHEPHERD_TARGETS_FILE: targetsFile,
          SHEPHERD_ACR_WEBHOOK_SECRET: webhookSecret,
          SHEPHERD_ARM_ENDPOINT: sandbox.url,
          SHEPHERD_METRICS_ENDPOINT: sandbox.url,
          AZURE_AUTHORITY_HOST: sandbox.url,
          AZURE_TENANT_ID: identity.tenantId,
          AZURE_CLIENT_ID: identity.clientId,
          AZURE_CLIENT_SECRET: identity.clientSecret,
        },
        Keys: { master: `master-${functionKey}`, host: { default: functionKey }, functions: {}, system: {} },
      },
    });
    load = generateLoad({
      url: `https://${productionHost()}/`,
      rate: 200,
      durationMs: 120_000,
      signal: stopLoad.signal,
    });
  });

  after(async () => {
    stopLoad.abort();
    await load;
    http.close();
    await host.stop();
    await sandbox.close();
  });

  function productionHost(): string {
    return [...sandbox.appService.sites.values()][0]?.hostName() ?? '';
  }

  async function versionInProduction(): Promise<string | undefined> {
    const res = await http.get(`https://${productionHost()}/?x-ms-routing-name=self`);
    return res.status === 200 ? (JSON.parse(res.body) as { version: string }).version : undefined;
  }

  async function releaseOf(push: { deliveries: { ok: boolean }[] }, tag: string): Promise<ReleaseView> {
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
      `the webhook took the push of ${tag}`,
    );
    const finished = await waitFor(
      `the release of ${tag} to finish`,
      () => {
        const releases = host.engine
          .list()
          .filter((s) => s.name === 'release' && (s.input as { tag?: string }).tag === tag);
        return Promise.resolve(
          releases.find((s) => s.runtimeStatus === 'Completed' || s.runtimeStatus === 'Failed'),
        );
      },
      90_000,
    );
    const view = await call(host.url, `/api/releases/${encodeURIComponent(finished.instanceId)}`, {
      key: functionKey,
    });
    assert.equal(view.status, 200);
    return view.body as ReleaseView;
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
    assert.equal(release.trafficPercent, 0);
    assert.equal(await versionInProduction(), '2.0.0');
    const site = [...sandbox.appService.sites.values()][0];
    assert.deepEqual(site?.rules(), [], 'no routing rule sends anyone to the bad image');
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
    const site = [...sandbox.appService.sites.values()][0];
    assert.deepEqual(site?.rules(), []);
    assert.equal(await versionInProduction(), '2.0.0');
  });

  it('starts one release for a push delivered twice', async () => {
    const push = await sandbox.registry.push('contoso/web:2.0.0');
    const digest = push.digest;
    const body = {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      action: 'push',
      target: {
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        size: 1,
        digest,
        length: 1,
        repository: 'contoso/web',
        tag: '2.0.0',
      },
      request: { id: randomUUID(), host: registry, method: 'PUT', useragent: 'e2e' },
    };
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

  it('refuses a webhook without the secret, and a malformed one, starting nothing', async () => {
    const before = host.engine.list().length;
    const unauthorized = await call(host.url, '/api/hooks/acr', { method: 'POST', body: { action: 'push' } });
    assert.equal(unauthorized.status, 401);
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
