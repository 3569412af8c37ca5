import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { createAppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import type { ImageFaults } from '../../dev/sandbox/imageFaults';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { ArmResourceTags } from '../../src/azure/resourceTags';
import { siteResourceId } from '../../src/azure/siteRef';
import type { SiteRef } from '../../src/azure/siteRef';
import { AppServiceSlotDeployment } from '../../src/azure/slotDeployment';
import { AppServiceSlotSwap } from '../../src/azure/slotSwap';
import type { SwapProgress } from '../../src/azure/slotSwap';
import { AppServiceTrafficRouter } from '../../src/azure/trafficRouter';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { httpsGetter } from '../support/https';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { waitFor } from '../support/testHost';

const site: SiteRef = {
  subscriptionId: '00000000-0000-0000-0000-0000000a2e01',
  resourceGroup: 'shepherd-rg',
  name: 'contoso-web',
};
const elsewhere: SiteRef = {
  subscriptionId: '00000000-0000-0000-0000-0000000a2e02',
  resourceGroup: 'other-rg',
  name: 'fabrikam-api',
};
const image = (tag: string): string => `sandboxregistry.azurecr.io/contoso/web:${tag}`;

describe('App Service adapters against the sandbox', () => {
  const images = new Map<string, ImageFaults>([
    [image('1.0.0'), imageFaultsSchema.parse({})],
    [image('2.0.0'), imageFaultsSchema.parse({})],
    [image('9.0.0'), imageFaultsSchema.parse({})],
    [image('crashes'), imageFaultsSchema.parse({ crashAfterRequests: '1' })],
    [image('never-ready'), imageFaultsSchema.parse({ startDelayMs: '600000' })],
  ]);
  const appService = createAppService({
    sites: [
      { ...site, location: 'West Europe', slots: ['staging', 'qa'], image: image('1.0.0') },
      { ...elsewhere, location: 'North Europe', slots: ['staging'], image: image('9.0.0') },
    ],
    images: (ref) => images.get(ref),
    swapWarmUpTimeoutMs: 1500,
  });
  const http = httpsGetter();
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let deployment: AppServiceSlotDeployment;
  let router: AppServiceTrafficRouter;
  let swaps: AppServiceSlotSwap;
  let tags: ArmResourceTags;
  /** The SDK client itself, to look at what the adapters did. */
  let arm: WebSiteManagementClient;

  before(async () => {
    sandbox = await startTestSandbox([appService.module]);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    const clients = new WebAppsClients({ credential, endpoint: sandbox.url });
    deployment = new AppServiceSlotDeployment(clients);
    router = new AppServiceTrafficRouter(clients);
    swaps = new AppServiceSlotSwap(clients);
    tags = new ArmResourceTags({ credential, endpoint: sandbox.url });
    arm = new WebSiteManagementClient(credential, site.subscriptionId, { endpoint: sandbox.url });
  });
  after(async () => {
    http.close();
    await sandbox.close();
  });

  const versionAt = async (host: string, query = ''): Promise<string | undefined> => {
    const res = await http.get(`https://${host}/${query}`).catch(() => undefined);
    return res?.status === 200 ? (JSON.parse(res.body) as { version: string }).version : undefined;
  };
  const servedBy = (host: string, version: string): Promise<true> =>
    waitFor(`${host} to serve ${version}`, async () =>
      (await versionAt(host)) === version ? true : undefined,
    );
  const rules = async (): Promise<
    { name?: string; actionHostName?: string; reroutePercentage?: number }[]
  > => {
    const config = await arm.webApps.getConfiguration(site.resourceGroup, site.name);
    return (config.experiments?.rampUpRules ?? []).map((r) => ({
      name: r.name,
      actionHostName: r.actionHostName,
      reroutePercentage: r.reroutePercentage,
    }));
  };

  it('reads the image each slot runs, for sites in different subscriptions', async () => {
    assert.equal(await deployment.getImage(site), image('1.0.0'));
    assert.equal(await deployment.getImage(site, 'Production'), image('1.0.0'));
    assert.equal(await deployment.getImage(site, 'staging'), undefined, 'a new slot runs no container');
    assert.equal(await deployment.getImage(elsewhere), image('9.0.0'));
  });

  it('deploys an image to the staging slot, which then serves it while production keeps its own', async () => {
    await deployment.deployImage(site, 'staging', image('2.0.0'));
    assert.equal(await deployment.getImage(site, 'staging'), image('2.0.0'));
    const stagingHost = await deployment.hostName(site, 'staging');
    await servedBy(stagingHost, '2.0.0');
    assert.equal(await versionAt(await deployment.hostName(site)), '1.0.0');

    await deployment.deployImage(site, 'staging', image('2.0.0'));
    assert.equal(await deployment.getImage(site, 'staging'), image('2.0.0'));
    await servedBy(stagingHost, '2.0.0');
  });

  it('restarts a slot whose app has crashed, and it serves again', async () => {
    await deployment.deployImage(site, 'qa', image('crashes'));
    const host = await deployment.hostName(site, 'qa');
    await servedBy(host, 'crashes');
    await waitFor('the app to crash', async () =>
      (await http.get(`https://${host}/`)).status === 503 ? true : undefined,
    );
    await deployment.restart(site, 'qa');
    await servedBy(host, 'crashes');
  });

  it('gives the slot the one routing rule at the share asked, replacing any other rule', async () => {
    const stagingHost = await deployment.hostName(site, 'staging');
    const prodHost = await deployment.hostName(site);
    await arm.webApps.updateConfiguration(site.resourceGroup, site.name, {
      experiments: { rampUpRules: [{ name: 'qa', actionHostName: 'elsewhere', reroutePercentage: 5 }] },
    });

    await router.setSlotShare(site, 'staging', 10);
    const at10 = [{ name: 'staging', actionHostName: stagingHost, reroutePercentage: 10 }];
    assert.deepEqual(await rules(), at10);
    await router.setSlotShare(site, 'staging', 10);
    assert.deepEqual(await rules(), at10, 'repeating it changes nothing');

    await router.setSlotShare(site, 'staging', 50);
    assert.deepEqual(await rules(), [
      { name: 'staging', actionHostName: stagingHost, reroutePercentage: 50 },
    ]);
    assert.equal(await versionAt(prodHost, '?x-ms-routing-name=staging'), '2.0.0', 'users can opt in');
  });

  it('clears the routing so that no rule is left and opted-in users get production', async () => {
    await router.clearRouting(site);
    assert.deepEqual(await rules(), []);
    assert.equal(await versionAt(await deployment.hostName(site), '?x-ms-routing-name=staging'), '1.0.0');
    await router.clearRouting(site);
    assert.deepEqual(await rules(), []);
  });

  it('refuses a share outside 0–100 %, or for production, before calling Azure', async () => {
    await assert.rejects(router.setSlotShare(site, 'staging', 120), RangeError);
    await assert.rejects(router.setSlotShare(site, 'staging', Number.NaN), RangeError);
    await assert.rejects(router.setSlotShare(site, 'production', 10), RangeError);
    await assert.rejects(deployment.deployImage(site, 'staging', 'not an image'), RangeError);
    assert.deepEqual(await rules(), []);
  });

  /** Follows a swap `begin` started until Azure reports it ended. */
  async function settled(operation: string): Promise<SwapProgress> {
    return waitFor('the swap to end', async () => {
      const progress = await swaps.progress(site, operation);
      return progress.state === 'running' ? undefined : progress;
    });
  }

  it('starts a swap without waiting for it, and following it shows production serving the slot’s image', async () => {
    await servedBy(await deployment.hostName(site, 'staging'), '2.0.0');
    const begun = await swaps.begin(site, 'staging');
    assert.ok('operation' in begun, JSON.stringify(begun));
    assert.doesNotMatch(begun.operation, /Bearer|code=|sig=/i, 'the handle holds no secret');
    assert.deepEqual(await settled(begun.operation), { state: 'succeeded' });
    assert.equal(await deployment.getImage(site), image('2.0.0'));
    assert.equal(await deployment.getImage(site, 'staging'), image('1.0.0'));
    assert.equal(await versionAt(await deployment.hostName(site)), '2.0.0');
  });

  it('answers busy to a second swap while one runs, and a failed swap reports why with production unchanged', async () => {
    await deployment.deployImage(site, 'staging', image('never-ready'));
    const begun = await swaps.begin(site, 'staging');
    assert.ok('operation' in begun);
    const again = await swaps.begin(site, 'staging');
    assert.ok('busy' in again, 'App Service runs one operation on a site at a time');
    assert.match(again.busy, /another operation is in progress/);
    const ended = await settled(begun.operation);
    assert.equal(ended.state, 'failed');
    assert.match(ended.reason, /did not warm up/);
    assert.equal(await deployment.getImage(site), image('2.0.0'));
    assert.equal(await versionAt(await deployment.hostName(site)), '2.0.0');
  });

  it('merges tags into a site through the Tags API, keeping its other tags', async () => {
    const id = siteResourceId(site);
    await tags.merge(id, { owner: 'team-a' });
    await tags.merge(id, { 'shepherd.known-good': image('9.0.0'), 'shepherd.known-good-before': '' });
    assert.deepEqual(await tags.read(id), {
      owner: 'team-a',
      'shepherd.known-good': image('9.0.0'),
      'shepherd.known-good-before': '',
    });
    const resource = await arm.webApps.get(site.resourceGroup, site.name);
    assert.equal(resource.tags?.owner, 'team-a', 'the site itself shows the tags');
    await assert.rejects(tags.read(siteResourceId({ ...site, name: 'missing' })), (err) => {
      assert.ok(err instanceof AzureOperationError);
      assert.equal(err.status, 404);
      return true;
    });
  });

  it('reports a missing site or slot as 404 ResourceNotFound, with no token or URL in the error', async () => {
    const missing = { ...site, name: 'no-such-site' };
    for (const attempt of [
      () => deployment.getImage(missing),
      () => deployment.hostName(site, 'no-such-slot'),
      () => router.setSlotShare(missing, 'staging', 10),
      () => router.clearRouting(missing),
    ]) {
      await assert.rejects(attempt(), (err: unknown) => {
        assert.ok(err instanceof AzureOperationError);
        assert.equal(err.status, 404);
        assert.equal(err.code, 'ResourceNotFound');
        assert.doesNotMatch(`${err.message} ${JSON.stringify(err)}`, /Bearer|api-version|https?:\/\//i);
        return true;
      });
    }
  });
});
