import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DefaultAzureCredential } from '@azure/identity';
import { createAppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { createAzureCredential } from '../../src/azure/credential';
import type { SiteRef } from '../../src/azure/siteRef';
import { AppServiceSlotDeployment } from '../../src/azure/slotDeployment';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { startTestSandbox } from '../support/sandbox';

const site: SiteRef = {
  subscriptionId: '00000000-0000-0000-0000-0000000a2e04',
  resourceGroup: 'rg',
  name: 'web',
};
const variables = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_AUTHORITY_HOST',
] as const;

describe('createAzureCredential', () => {
  const appService = createAppService({
    sites: [{ ...site, location: 'westeurope', slots: [], image: 'reg.azurecr.io/web:1' }],
    images: () => imageFaultsSchema.parse({}),
  });
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  const saved = new Map(variables.map((name) => [name, process.env[name]]));

  before(async () => {
    sandbox = await startTestSandbox([appService.module]);
    // The sandbox identity, as the environment credential (first in DefaultAzureCredential's chain) reads it.
    process.env.AZURE_TENANT_ID = sandbox.identity.tenantId;
    process.env.AZURE_CLIENT_ID = sandbox.identity.clientId;
    process.env.AZURE_CLIENT_SECRET = sandbox.identity.clientSecret;
    Reflect.deleteProperty(process.env, 'AZURE_AUTHORITY_HOST');
  });
  after(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    await sandbox.close();
  });

  it('gets a token from a custom authority host (the sandbox’s) with the environment’s client secret', async () => {
    const credential = createAzureCredential({ authorityHost: sandbox.url });
    assert.ok(credential instanceof DefaultAzureCredential);
    const token = await credential.getToken('https://management.azure.com/.default');
    assert.ok(token.token.length > 0);
    assert.ok(token.expiresOnTimestamp > Date.now());
  });

  it('signs the App Service adapter in', async () => {
    const credential = createAzureCredential({ authorityHost: sandbox.url });
    const deployment = new AppServiceSlotDeployment(
      new WebAppsClients({ credential, endpoint: sandbox.url }),
    );
    assert.equal(await deployment.getImage(site), 'reg.azurecr.io/web:1');
  });

  it('leaves Azure’s defaults alone when no authority host is given', () => {
    assert.ok(createAzureCredential({}) instanceof DefaultAzureCredential);
  });
});
