import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import { createAppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { monitorModule } from '../../dev/sandbox/monitor';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { MonitorWindowMetrics } from '../../src/azure/metrics';
import type { SiteRef } from '../../src/azure/siteRef';
import { siteResourceId } from '../../src/azure/siteRef';
import { AppServiceSlotDeployment } from '../../src/azure/slotDeployment';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { httpsGetter, inParallel } from '../support/https';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { waitFor } from '../support/testHost';

const site: SiteRef = {
  subscriptionId: '00000000-0000-0000-0000-0000000a2e03',
  resourceGroup: 'rg',
  name: 'web',
};
const siteId = siteResourceId(site);
const slotId = siteResourceId(site, 'staging');
const healthy = 'reg.azurecr.io/web:1';
const faulty = 'reg.azurecr.io/web:2-faulty';
const minute = 60_000;
const t0 = Date.parse('2026-05-05T12:00:00Z');

describe('MonitorWindowMetrics against the sandbox', () => {
  const clock = new VirtualClock(t0);
  const appService = createAppService({
    sites: [{ ...site, location: 'westeurope', slots: ['staging'], image: healthy }],
    images: (ref) =>
      ref === healthy
        ? imageFaultsSchema.parse({})
        : ref === faulty
          ? imageFaultsSchema.parse({ errorRate: '0.3', latencyMs: '25' })
          : undefined,
  });
  const known = new Set([siteId.toLowerCase(), slotId.toLowerCase()]);
  const http = httpsGetter();
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let metrics: MonitorWindowMetrics;
  let slotHost: string;
  let productionHost: string;
  /** A minute with no traffic before the test sends its own. */
  const window = { start: new Date(t0 + minute), end: new Date(t0 + 2 * minute) };

  before(async () => {
    sandbox = await startTestSandbox(
      [appService.module, monitorModule({ resourceExists: (id) => known.has(id.toLowerCase()) })],
      clock,
    );
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    metrics = new MonitorWindowMetrics({ credential, endpoint: sandbox.url });
    const deployment = new AppServiceSlotDeployment(
      new WebAppsClients({ credential, endpoint: sandbox.url }),
    );
    await deployment.deployImage(site, 'staging', faulty);
    slotHost = await deployment.hostName(site, 'staging');
    productionHost = await deployment.hostName(site);
    for (const host of [slotHost, productionHost]) {
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
    const production = counts.get(siteId);
    assert.equal(production?.requests, 40);
    assert.equal(production.http5xx, 0);
    assert.equal(typeof production.averageResponseSeconds, 'number');
  });

  it('reads a window with no traffic as no requests and no average', async () => {
    const counts = await metrics.query([slotId], new Date(t0 - minute), new Date(t0));
    assert.deepEqual(counts.get(slotId), {
      requests: 0,
      http5xx: 0,
      http4xx: 0,
      averageResponseSeconds: undefined,
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
