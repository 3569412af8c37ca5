import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { siteResourceId } from '../../src/azure/siteRef';
import type { SiteRef } from '../../src/azure/siteRef';
import { AppServiceSitePower } from '../../src/azure/sitePower';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { defaultHostName } from '../../src/azure/webAppsClients';
import { httpsGetter } from '../support/https';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { waitFor } from '../support/testHost';

const site: SiteRef = {
  subscriptionId: '00000000-0000-0000-0000-0000000a5e01',
  resourceGroup: 'power-rg',
  name: 'contoso-power',
};
const image = (tag: string): string => `sandboxregistry.azurecr.io/contoso/power:${tag}`;

describe('SitePower against the sandbox', () => {
  const appService = createAppService({
    sites: [{ ...site, location: 'West Europe', slots: ['staging', 'qa'], image: image('1.0.0') }],
    images: (ref) =>
      ref === image('1.0.0') || ref === image('2.0.0') ? imageFaultsSchema.parse({}) : undefined,
  });
  const http = httpsGetter();
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let power: AppServiceSitePower;
  let clients: WebAppsClients;
  const hosts: Record<string, string> = {};

  before(async () => {
    sandbox = await startTestSandbox([appService.module]);
    clients = new WebAppsClients({
      credential: sandboxCredential(sandbox.url, sandbox.identity),
      endpoint: sandbox.url,
    });
    power = new AppServiceSitePower(clients);
    for (const slot of ['production', 'staging', 'qa'])
      hosts[slot] = await defaultHostName(clients.for(site), site, slot);
    // The staging slot runs an image of its own, so that a start shows the slot's own image again.
    await clients.for(site).updateConfigurationSlot(site.resourceGroup, site.name, 'staging', {
      linuxFxVersion: `DOCKER|${image('2.0.0')}`,
    });
    await serving('production', '1.0.0');
    await serving('staging', '2.0.0');
  });
  after(async () => {
    http.close();
    await sandbox.close();
  });

  const answer = (slot: string): Promise<{ status: number; body: string }> =>
    http.get(`https://${hosts[slot] ?? ''}/`);
  const serving = (slot: string, version: string): Promise<true> =>
    waitFor(`${slot} to serve ${version}`, async () => {
      const res = await answer(slot).catch(() => undefined);
      return res?.status === 200 && (JSON.parse(res.body) as { version: string }).version === version
        ? true
        : undefined;
    });
  const metricCount = (slot: string, field: 'Http4xx'): number => {
    const minute = Math.floor(sandbox.context.clock.now() / 60_000) * 60_000;
    return sandbox.context.metrics
      .series(siteResourceId(site, slot), field, minute - 3_600_000, minute + 60_000, 60_000)
      .reduce((total, point) => total + point.total, 0);
  };

  it('lists every slot with its state, production first', async () => {
    assert.deepEqual(await power.states(site), [
      { slot: 'production', state: 'Running' },
      { slot: 'staging', state: 'Running' },
      { slot: 'qa', state: 'Running' },
    ]);
  });

  it('stops a slot alone: it answers 403 with the stopped page, counted as 4xx, while the others serve', async () => {
    const before4xx = metricCount('staging', 'Http4xx');
    await power.stop(site, 'staging');
    assert.deepEqual(await power.states(site), [
      { slot: 'production', state: 'Running' },
      { slot: 'staging', state: 'Stopped' },
      { slot: 'qa', state: 'Running' },
    ]);
    const stopped = await answer('staging');
    assert.equal(stopped.status, 403);
    assert.match(stopped.body, /Error 403 - This web app is stopped\./);
    assert.equal(
      metricCount('staging', 'Http4xx') - before4xx,
      1,
      'the metrics count what the front end answered',
    );
    await serving('production', '1.0.0');
  });

  it('answers 403 also to users a routing rule sends to the stopped slot', async () => {
    await clients.for(site).updateConfiguration(site.resourceGroup, site.name, {
      experiments: {
        rampUpRules: [{ name: 'staging', actionHostName: hosts.staging, reroutePercentage: 100 }],
      },
    });
    try {
      const routed = await http.get(`https://${hosts.production ?? ''}/?x-ms-routing-name=staging`);
      assert.equal(routed.status, 403);
      assert.match(routed.body, /This web app is stopped/);
    } finally {
      await clients
        .for(site)
        .updateConfiguration(site.resourceGroup, site.name, { experiments: { rampUpRules: [] } });
    }
  });

  it('stops again without complaint, and a start brings the slot back on its own image', async () => {
    await power.stop(site, 'staging');
    await power.start(site, 'staging');
    await power.start(site, 'staging');
    await serving('staging', '2.0.0');
    assert.equal((await power.states(site))[1]?.state, 'Running');
  });

  it('stops the site, which stops production alone, and starts it again', async () => {
    await power.stop(site);
    await power.stop(site, 'Production');
    assert.deepEqual(await power.states(site), [
      { slot: 'production', state: 'Stopped' },
      { slot: 'staging', state: 'Running' },
      { slot: 'qa', state: 'Running' },
    ]);
    assert.equal((await answer('production')).status, 403);
    await serving('staging', '2.0.0');
    await power.start(site, 'production');
    await serving('production', '1.0.0');
    assert.equal((await power.states(site))[0]?.state, 'Running');
  });

  it('names the slot and Azure’s answer when there is no such slot or site', async () => {
    await assert.rejects(power.stop(site, 'nope'), (err: unknown) => {
      assert.ok(err instanceof AzureOperationError);
      assert.equal(err.status, 404);
      assert.match(err.message, /stop contoso-power\/nope/);
      return true;
    });
    await assert.rejects(power.states({ ...site, name: 'missing' }), (err: unknown) => {
      assert.ok(err instanceof AzureOperationError);
      assert.equal(err.code, 'ResourceNotFound');
      return true;
    });
  });
});
