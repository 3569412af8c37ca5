import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { MetricsClient } from '@azure/monitor-query-metrics';
import { createAppService } from '../../dev/sandbox/appService/module';
import type { AppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { monitorModule, regionalMetricsPath } from '../../dev/sandbox/monitor';
import type { ImageFaults } from '../../dev/sandbox/imageFaults';
import { fixture } from '../support/fixtures';
import { httpsGetter, inParallel } from '../support/https';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { shapeDifferences } from '../support/shape';
import { waitFor } from '../support/testHost';

const sub = '00000000-0000-0000-0000-00000000aaaa';
const rg = 'shepherd-rg';
const siteName = 'contoso-web';
const image = (tag: string): string => `sandboxregistry.azurecr.io/contoso/web:${tag}`;

describe('sandbox App Service with the real @azure/arm-appservice', () => {
  const images = new Map<string, ImageFaults>([
    [image('1.0.0'), imageFaultsSchema.parse({})],
    [image('2.0.0'), imageFaultsSchema.parse({})],
    [image('3.0.0'), imageFaultsSchema.parse({})],
    [image('never-ready'), imageFaultsSchema.parse({ startDelayMs: '600000' })],
  ]);
  let appService: AppService;
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let client: WebSiteManagementClient;
  const http = httpsGetter();

  before(async () => {
    appService = createAppService({
      sites: [
        {
          subscriptionId: sub,
          resourceGroup: rg,
          name: siteName,
          location: 'West Europe',
          slots: ['staging'],
          image: image('1.0.0'),
        },
      ],
      images: (ref) => images.get(ref),
      swapWarmUpTimeoutMs: 3000,
    });
    sandbox = await startTestSandbox([appService.module, monitorModule(appService)]);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    client = new WebSiteManagementClient(credential, sub, { endpoint: sandbox.url });
  });
  after(async () => {
    http.close();
    await sandbox.close();
  });

  const versionAt = async (host: string, query = ''): Promise<string | undefined> => {
    const res = await http.get(`https://${host}/${query}`).catch(() => undefined);
    return res?.status === 200 ? (JSON.parse(res.body) as { version: string }).version : undefined;
  };
  const hostOf = async (slot?: string): Promise<string> => {
    const site = slot
      ? await client.webApps.getSlot(rg, siteName, slot)
      : await client.webApps.get(rg, siteName);
    return site.defaultHostName ?? '';
  };
  const servedBy = (host: string, version: string): Promise<true> =>
    waitFor(`${host} to serve ${version}`, async () =>
      (await versionAt(host)) === version ? true : undefined,
    );

  it('gets the site and its slots, and production serves its image on its host name', async () => {
    const site = await client.webApps.get(rg, siteName);
    assert.equal(site.name, siteName);
    assert.equal(site.state, 'Running');
    const slots = [];
    for await (const slot of client.webApps.listSlots(rg, siteName)) slots.push(slot.name);
    assert.deepEqual(slots, [`${siteName}/staging`]);
    await servedBy(await hostOf(), '1.0.0');
  });

  it('updates the site’s tags with an ARM PATCH', async () => {
    // The SDK's site PATCH model has no tags; ARM takes them on the resource all the same.
    const patched = await armSend('PATCH', siteId(), { tags: { team: 'payments', shepherd: 'managed' } });
    assert.equal(patched.status, 200);
    assert.deepEqual((await client.webApps.get(rg, siteName)).tags, {
      team: 'payments',
      shepherd: 'managed',
    });
  });

  it('runs a new image on the slot when its linuxFxVersion changes', async () => {
    await client.webApps.updateConfigurationSlot(rg, siteName, 'staging', {
      linuxFxVersion: `DOCKER|${image('2.0.0')}`,
    });
    const config = await client.webApps.getConfigurationSlot(rg, siteName, 'staging');
    assert.equal(config.linuxFxVersion, `DOCKER|${image('2.0.0')}`);
    await servedBy(await hostOf('staging'), '2.0.0');
    assert.equal(await versionAt(await hostOf()), '1.0.0', 'production is untouched');
  });

  it('sends close to 10% of 2,000 requests to the slot under a 10% routing rule, and the metrics agree', async () => {
    const host = await hostOf();
    await client.webApps.updateConfiguration(rg, siteName, {
      experiments: {
        rampUpRules: [{ name: 'staging', actionHostName: await hostOf('staging'), reroutePercentage: 10 }],
      },
    });
    // Through the real MetricsClient, as Shepherd will judge a canary: all requests since a minute ago.
    const metrics = new MetricsClient(
      `${sandbox.url}${regionalMetricsPath('westeurope')}`,
      sandboxCredential(sandbox.url, sandbox.identity),
    );
    const since = Date.now() - 60_000;
    const count = async (id: string): Promise<number> => {
      const namespace = id.includes('/slots/') ? 'Microsoft.Web/sites/slots' : 'Microsoft.Web/sites';
      const [result] = await metrics.queryResources([id], ['Requests'], namespace, {
        startTime: new Date(since),
        endTime: new Date(Date.now() + 60_000),
        interval: 'FULL',
        aggregation: 'Total',
      });
      return result?.getMetricByName('Requests')?.timeseries[0]?.data?.[0]?.total ?? 0;
    };
    const before = { slot: await count(`${siteId()}/slots/staging`), prod: await count(siteId()) };
    const versions = await inParallel(2000, 16, () => versionAt(host));
    const toSlot = versions.filter((v) => v === '2.0.0').length;
    assert.ok(toSlot > 140 && toSlot < 260, `${toSlot} of 2000 reached the slot`);
    assert.equal((await count(`${siteId()}/slots/staging`)) - before.slot, toSlot);
    assert.equal((await count(siteId())) - before.prod, 2000 - toSlot);
    await client.webApps.updateConfiguration(rg, siteName, { experiments: { rampUpRules: [] } });
  });

  it('swaps the slot into production as a long-running operation, moving non-sticky settings only', async () => {
    await client.webApps.updateSlotConfigurationNames(rg, siteName, { appSettingNames: ['STICKY'] });
    await client.webApps.updateApplicationSettings(rg, siteName, {
      properties: { STICKY: 'prod', MOVES: 'prod' },
    });
    await client.webApps.updateApplicationSettingsSlot(rg, siteName, 'staging', {
      properties: { STICKY: 'stage', MOVES: 'stage' },
    });
    await servedBy(await hostOf('staging'), '2.0.0');

    await client.webApps.swapSlotWithProduction(rg, siteName, { targetSlot: 'staging', preserveVnet: true });

    assert.equal(await versionAt(await hostOf()), '2.0.0');
    assert.equal(await versionAt(await hostOf('staging')), '1.0.0');
    const prodSettings = await client.webApps.listApplicationSettings(rg, siteName);
    assert.deepEqual(prodSettings.properties, { STICKY: 'prod', MOVES: 'stage' });
    const site = await client.webApps.get(rg, siteName);
    assert.equal(site.slotSwapStatus?.sourceSlotName, 'staging');
  });

  it('fails a swap whose slot never warms up, and leaves production as it was', async () => {
    await client.webApps.updateConfigurationSlot(rg, siteName, 'staging', {
      linuxFxVersion: `DOCKER|${image('never-ready')}`,
    });
    await assert.rejects(
      client.webApps.swapSlotWithProduction(rg, siteName, { targetSlot: 'staging', preserveVnet: true }),
      /did not warm up/,
    );
    assert.equal(await versionAt(await hostOf()), '2.0.0');
  });

  it('stops a slot, which then answers 403 as a stopped App Service app does, and starts and restarts it', async () => {
    await client.webApps.updateConfigurationSlot(rg, siteName, 'staging', {
      linuxFxVersion: `DOCKER|${image('3.0.0')}`,
    });
    const host = await hostOf('staging');
    await servedBy(host, '3.0.0');
    await client.webApps.stopSlot(rg, siteName, 'staging');
    assert.equal((await client.webApps.getSlot(rg, siteName, 'staging')).state, 'Stopped');
    const stopped = await http.get(`https://${host}/`);
    assert.equal(stopped.status, 403);
    assert.match(stopped.body, /Error 403 - This web app is stopped\./);
    await client.webApps.startSlot(rg, siteName, 'staging');
    await servedBy(host, '3.0.0');
    await client.webApps.restartSlot(rg, siteName, 'staging');
    await servedBy(host, '3.0.0');
  });

  it('answers a missing site with 404 and a bad routing rule with 400, in ARM’s error shape', async () => {
    await assert.rejects(
      client.webApps.get(rg, 'no-such-site'),
      (err: { statusCode?: number; code?: string }) =>
        err.statusCode === 404 && err.code === 'ResourceNotFound',
    );
    await assert.rejects(
      client.webApps.updateConfiguration(rg, siteName, {
        experiments: { rampUpRules: [{ name: 'staging', reroutePercentage: 120 }] },
      }),
      (err: { statusCode?: number }) => err.statusCode === 400,
    );
  });

  it('answers in the shape of the published examples', async () => {
    const slotExample = fixture('rest-web-GetWebAppSlot.json') as { responses: { 200: { body: unknown } } };
    const slot = await armGet(`${siteId()}/slots/staging`);
    assert.deepEqual(shapeDifferences(slotExample.responses[200].body, slot), []);
    const listExample = fixture('rest-web-ListWebAppSlots.json') as { responses: { 200: { body: unknown } } };
    assert.deepEqual(
      shapeDifferences(listExample.responses[200].body, await armGet(`${siteId()}/slots`)),
      [],
    );
    const configExample = fixture('rest-web-GetSiteConfig.json') as { responses: { 200: { body: unknown } } };
    assert.deepEqual(
      shapeDifferences(configExample.responses[200].body, await armGet(`${siteId()}/config/web`)),
      [],
    );
    const put = fixture('rest-web-UpdateSiteConfig.json') as {
      parameters: { siteConfig: unknown };
      responses: { 200: { body: unknown } };
    };
    const updated = await armSend('PUT', `${siteId()}/slots/staging/config/web`, put.parameters.siteConfig);
    assert.equal(updated.status, 200);
    assert.deepEqual(shapeDifferences(put.responses[200].body, updated.body), []);
    const apply = fixture('rest-web-ApplySlotConfig.json') as { parameters: { slotSwapEntity: unknown } };
    assert.equal(
      (await armSend('POST', `${siteId()}/applySlotConfig`, apply.parameters.slotSwapEntity)).status,
      200,
    );
    assert.equal((await armSend('POST', `${siteId()}/resetSlotConfig`, undefined)).status, 200);
  });

  function siteId(): string {
    return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${siteName}`;
  }

  async function armToken(): Promise<string> {
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    return (await credential.getToken('https://management.azure.com/.default')).token;
  }

  async function armGet(path: string): Promise<unknown> {
    return (await armSend('GET', path, undefined)).body;
  }

  async function armSend(
    method: string,
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${sandbox.url}${path}?api-version=2024-04-01`, {
      method,
      headers: { authorization: `Bearer ${await armToken()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
});
