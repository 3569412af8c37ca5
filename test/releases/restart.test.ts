import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { stopChild } from '../../dev/childProcess';
import { freePort } from '../../dev/freePort';
import { ScaledClock } from '../../dev/host/clock';
import { sandboxConfigSchema } from '../../dev/sandbox/config';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import { startSandbox } from '../../dev/sandbox/sandbox';
import type { RunningSandbox } from '../../dev/sandbox/sandbox';
import { releaseInstanceId } from '../../src/domain/releaseId';
import { httpsGetter } from '../support/https';
import { call, repoRoot, tempDir, waitFor } from '../support/testHost';

const sub = '00000000-0000-0000-0000-0000000000e3';
const registry = 'sandboxregistry.azurecr.io';
const webhookSecret = 'restart-webhook-secret-0123456789';
const functionKey = 'restart-function-key-0123456789';

interface ReleaseView {
  runtimeStatus: string;
  phase: string;
  outcome?: string;
  reason?: string;
  windows: { step: number; trafficPercent: number; verdict: string; end: string }[];
}

describe('a release when the host is killed in the middle of its canary', () => {
  // One clock for the sandbox here and the host in its own process: a sandbox minute is two real seconds.
  const clock = new ScaledClock(2);
  const identity = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: randomUUID() };
  const http = httpsGetter();
  const stopLoad = new AbortController();
  const dataDir = tempDir('restart-host');
  const settingsFile = join(dataDir, 'local.settings.json');
  let port: number;
  let sandbox: RunningSandbox;
  let host: ChildProcess | undefined;
  let load: Promise<unknown>;

  /** Runs the local host CLI as its own process, so it can be killed outright; resolves once it listens. */
  function startHostProcess(): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'dist', 'dev', 'host', 'cli.js'),
        ...['--app', repoRoot, '--port', String(port), '--data-dir', dataDir],
        ...['--settings', settingsFile, '--clock', clock.describe()],
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return new Promise((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`the host exited with ${String(code)} before listening`)),
      );
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        if (line.startsWith('Host listening at ')) {
          child.removeAllListeners('exit');
          resolve(child);
        }
      });
    });
  }

  before(async () => {
    port = await freePort();
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
        keyVault: { vaultName: 'restart-vault' },
      }),
      identity,
      clock,
    );
    const targetsFile = join(dataDir, 'targets.json');
    writeFileSync(
      targetsFile,
      JSON.stringify({
        targets: [
          {
            name: 'web',
            site: { subscriptionId: sub, resourceGroup: 'rg', name: 'web', slot: 'staging' },
            registry: { loginServer: registry, repository: 'contoso/web' },
            canary: { steps: [10, 50, 100], intervalMinutes: 1 },
            gates: { minRequests: 15, maxAverageResponseMs: 250 },
            warmUp: { healthPath: '/health', timeoutMinutes: 2 },
            smokeChecks: [{ path: '/health', expectStatus: 200 }],
            bakeMinutes: 1,
          },
        ],
      }),
    );
    writeFileSync(
      settingsFile,
      JSON.stringify({
        IsEncrypted: false,
        Values: {
          SHEPHERD_TASK_HUB: 'ShepherdRestart',
          SHEPHERD_TARGETS_FILE: targetsFile,
          SHEPHERD_ACR_WEBHOOK_SECRET: webhookSecret,
          SHEPHERD_ALERT_WEBHOOK_SECRET: 'restart-alert-secret-0123456789',
          SHEPHERD_ARM_ENDPOINT: sandbox.url,
          SHEPHERD_METRICS_ENDPOINT: sandbox.url,
          AZURE_AUTHORITY_HOST: sandbox.url,
          AZURE_TENANT_ID: identity.tenantId,
          AZURE_CLIENT_ID: identity.clientId,
          AZURE_CLIENT_SECRET: identity.clientSecret,
        },
        Keys: { master: `master-${functionKey}`, host: { default: functionKey }, functions: {}, system: {} },
      }),
    );
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
    if (host) await stopChild(host);
    await sandbox.close();
  });

  function productionHost(): string {
    return [...sandbox.appService.sites.values()][0]?.hostName() ?? '';
  }

  async function releaseView(releaseId: string): Promise<ReleaseView | undefined> {
    const res = await call(`http://127.0.0.1:${port}`, `/api/releases/${encodeURIComponent(releaseId)}`, {
      key: functionKey,
    }).catch(() => undefined);
    return res?.status === 200 ? (res.body as ReleaseView) : undefined;
  }

  it('resumes from its history on the next host and finishes correctly', async () => {
    host = await startHostProcess();
    const push = await sandbox.registry.push('contoso/web:2.0.0');
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
    );
    const releaseId = releaseInstanceId('web', push.digest);
    await waitFor(
      'the canary to pass its first step',
      async () => {
        const view = await releaseView(releaseId);
        return view?.phase === 'canary' && view.windows.length >= 1 ? view : undefined;
      },
      90_000,
    );

    host.kill('SIGKILL');
    await new Promise((resolve) => host?.once('exit', resolve));
    const killedAt = clock.now();
    host = await startHostProcess();

    const release = await waitFor(
      'the release to finish on the new host',
      async () => {
        const view = await releaseView(releaseId);
        return view?.phase === 'done' ? view : undefined;
      },
      90_000,
    );
    assert.equal(release.runtimeStatus, 'Completed');
    assert.equal(release.outcome, 'succeeded', release.reason);
    assert.deepEqual(
      release.windows.map((w) => [w.step, w.trafficPercent, w.verdict]),
      [
        [1, 10, 'pass'],
        [2, 50, 'pass'],
        [3, 100, 'pass'],
        [0, 100, 'pass'],
      ],
      'every step judged once, none repeated or skipped by the restart',
    );
    assert.ok(
      release.windows.some((w) => Date.parse(w.end) > killedAt),
      'windows were judged after the restart',
    );
    const res = await http.get(`https://${productionHost()}/?x-ms-routing-name=self`);
    assert.equal((JSON.parse(res.body) as { version: string }).version, '2.0.0');
    assert.deepEqual([...sandbox.appService.sites.values()][0]?.rules(), []);
  });
});
