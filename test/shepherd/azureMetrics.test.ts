import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import { createAppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { monitorModule, regionalMetricsPath } from '../../dev/sandbox/monitor';
import { shepherdSettingsFor } from '../../dev/sandbox/shepherdSettings';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { MonitorWindowMetrics } from '../../src/azure/metrics';
import { RegionalWindowMetrics } from '../../src/azure/regionalMetrics';
import { ArmSiteRegions } from '../../src/azure/siteRegions';
import type { SiteRef } from '../../src/azure/siteRef';
import { siteResourceId } from '../../src/azure/siteRef';
import { AppServiceSlotDeployment } from '../../src/azure/slotDeployment';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { loadConfig } from '../../src/config';
import { createReleaseServices } from '../../src/services';
import { httpsGetter, inParallel } from '../support/https';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { tempDir, waitFor } from '../support/testHost';

const site: SiteRef = {
  subscriptionId: '00000000-0000-0000-0000-0000000a2e03',
  resourceGroup: 'rg',
  name: 'web',
};
const siteId = siteResourceId(site);
const slotId = siteResourceId(site, 'staging');
/** A site in East US, where `web` is in West Europe. */
const eastSite: SiteRef = { ...site, name: 'east' };
const eastId = siteResourceId(eastSite);
const healthy = 'reg.azurecr.io/web:1';
const faulty = 'reg.azurecr.io/web:2-faulty';
const minute = 60_000;
/** What the environment credential, first in DefaultAzureCredential's chain, signs in with. */
const signInVariables = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const;
const t0 = Date.parse('2026-05-05T12:00:00Z');

describe('MonitorWindowMetrics against the sandbox', () => {
  const clock = new VirtualClock(t0);
  const appService = createAppService({
    sites: [
      { ...site, location: 'West Europe', slots: ['staging'], image: healthy },
      { ...eastSite, location: 'East US', slots: [], image: healthy },
    ],
    images: (ref) =>
      ref === healthy
        ? imageFaultsSchema.parse({})
        : ref === faulty
          ? imageFaultsSchema.parse({ errorRate: '0.3', latencyMs: '25' })
          : undefined,
  });
  const http = httpsGetter();
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let credential: ReturnType<typeof sandboxCredential>;
  let metrics: MonitorWindowMetrics;
  let slotHost: string;
  let productionHost: string;
  let eastHost: string;
  /** The sandbox's batch metrics endpoint of `region`. */
  const endpointOf = (region: string): string => `${sandbox.url}${regionalMetricsPath(region)}`;
  /** A minute with no traffic before the test sends its own. */
  const window = { start: new Date(t0 + minute), end: new Date(t0 + 2 * minute) };

  before(async () => {
    sandbox = await startTestSandbox([appService.module, monitorModule(appService)], clock);
    credential = sandboxCredential(sandbox.url, sandbox.identity);
    metrics = new MonitorWindowMetrics({ credential, endpoint: endpointOf('westeurope') });
    const deployment = new AppServiceSlotDeployment(
      new WebAppsClients({ credential, endpoint: sandbox.url }),
    );
    await deployment.deployImage(site, 'staging', faulty);
    slotHost = await deployment.hostName(site, 'staging');
    productionHost = await deployment.hostName(site);
    eastHost = await deployment.hostName(eastSite);
    for (const host of [slotHost, productionHost, eastHost]) {
      await waitFor(`${host} to listen`, async () =>
        (await http.get(`https://${host}/health`).catch(() => undefined))?.status === 200 ? true : undefined,
      );
    }
    // The probes above land in the first minute; the window starts clean in the next.
    await clock.advanceTo(window.start.getTime());
  });
  after(async () => {
    http.close();
    await sandbox.close();
  });

  it('counts what the slot and production served in one window, in one query', async () => {
    const slotAnswers = await inParallel(100, 10, () => http.get(`https://${slotHost}/`));
    await inParallel(40, 10, () => http.get(`https://${productionHost}/`));
    const failed = slotAnswers.filter((a) => a.status === 500).length;
    assert.ok(failed > 0 && failed < 100, `${failed} of 100 failed`);

    const counts = await metrics.query([slotId, siteId], window.start, window.end);
    const slot = counts.get(slotId);
    assert.equal(slot?.requests, 100);
    assert.equal(slot.http5xx, failed);
    assert.equal(slot.http4xx, 0);
    const average = slot.averageResponseSeconds ?? 0;
    assert.ok(average >= 0.025 && average < 5, `the injected 25 ms latency shows (${average} s)`);
    assert.deepEqual(
      slot.responseSecondsByMinute,
      [slot.averageResponseSeconds],
      'one minute, read per minute',
    );
    const production = counts.get(siteId);
    assert.equal(production?.requests, 40);
    assert.equal(production.http5xx, 0);
    assert.equal(typeof production.averageResponseSeconds, 'number');
  });

  it('reads sites of two regions in one query, each from its own region’s endpoint, one client per endpoint', async () => {
    await inParallel(7, 7, () => http.get(`https://${eastHost}/`));
    const made: string[] = [];
    const regional = new RegionalWindowMetrics({
      regions: new ArmSiteRegions(new WebAppsClients({ credential, endpoint: sandbox.url })),
      endpointOf,
      metricsAt: (endpoint) => {
        made.push(endpoint);
        return new MonitorWindowMetrics({ credential, endpoint });
      },
    });
    for (let i = 0; i < 2; i++) {
      const counts = await regional.query([slotId, eastId, siteId], window.start, window.end);
      assert.deepEqual([...counts.keys()], [slotId, eastId, siteId], 'under the ids as given, in order');
      assert.deepEqual(
        [...counts.values()].map((c) => c.requests),
        [100, 7, 40],
      );
    }
    assert.deepEqual(made.sort(), [endpointOf('eastus'), endpointOf('westeurope')]);
  });

  it('is refused by a region’s endpoint for a site of another region, so no window reads as quiet', async () => {
    const oneRegion = new RegionalWindowMetrics({
      regions: { regionOf: () => Promise.resolve('westeurope') },
      endpointOf,
      metricsAt: (endpoint) => new MonitorWindowMetrics({ credential, endpoint }),
    });
    await assert.rejects(
      oneRegion.query([siteId, eastId], window.start, window.end),
      (err: unknown) =>
        err instanceof AzureOperationError &&
        err.status === 400 &&
        err.message.includes(`${eastId} is in region eastus, but this endpoint serves westeurope`),
    );
  });

  it('wires each target’s metrics to its site’s region from the settings', async () => {
    const root = tempDir('regional-metrics');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    writeFileSync(join(root, 'targets.json'), JSON.stringify({ targets: [] }));
    const config = loadConfig(
      {
        SHEPHERD_TASK_HUB: 'RegionalMetrics',
        SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
        SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
        SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
        ...shepherdSettingsFor(sandbox.url),
      },
      root,
    );
    const saved = signInVariables.map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, {
      AZURE_TENANT_ID: sandbox.identity.tenantId,
      AZURE_CLIENT_ID: sandbox.identity.clientId,
      AZURE_CLIENT_SECRET: sandbox.identity.clientSecret,
    });
    try {
      const counts = await createReleaseServices(config).metrics.query(
        [eastId, siteId],
        window.start,
        window.end,
      );
      assert.equal(counts.get(eastId)?.requests, 7);
      assert.equal(counts.get(siteId)?.requests, 40);
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
    }
  });

  it('reads a window with no traffic as no requests and no average', async () => {
    const counts = await metrics.query([slotId], new Date(t0 - minute), new Date(t0));
    assert.deepEqual(counts.get(slotId), {
      requests: 0,
      http5xx: 0,
      http4xx: 0,
      averageResponseSeconds: undefined,
      responseSecondsByMinute: [null],
    });
  });

  it('answers under the ids as given, whatever their case', async () => {
    const shouted = slotId
      .replace('/resourceGroups/rg/', '/resourcegroups/RG/')
      .replace('/slots/staging', '/slots/STAGING');
    const counts = await metrics.query([shouted, slotId], window.start, window.end);
    assert.deepEqual([...counts.keys()], [shouted, slotId]);
    assert.equal(counts.get(shouted)?.requests, 100);
    assert.deepEqual(counts.get(shouted), counts.get(slotId));
  });

  it('rejects when a resource is unknown, so the window cannot pass as quiet', async () => {
    await assert.rejects(
      metrics.query([siteResourceId(site, 'nope'), siteId], window.start, window.end),
      (err: unknown) =>
        err instanceof AzureOperationError && err.status === 404 && err.code === 'ResourceNotFound',
    );
  });

  it('refuses a window that ends before it starts', async () => {
    await assert.rejects(metrics.query([slotId], window.end, window.start), RangeError);
  });
});
