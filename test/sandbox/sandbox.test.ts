import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import type { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { VirtualClock } from '../../dev/host/clock';
import { sandboxConfigSchema } from '../../dev/sandbox/config';
import { startSandbox } from '../../dev/sandbox/sandbox';
import type { RunningSandbox } from '../../dev/sandbox/sandbox';
import { httpsGetter } from '../support/https';
import { sandboxCredential } from '../support/sandbox';
import { waitFor } from '../support/testHost';

const sub = '00000000-0000-0000-0000-000000000001';

describe('the whole sandbox, as npm start runs it', () => {
  const received: { path: string; body: unknown }[] = [];
  const receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as unknown });
      res.writeHead(200).end();
    });
  });
  const identity = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: randomUUID() };
  const http = httpsGetter();
  let sandbox: RunningSandbox;
  let credential: ClientSecretCredential;

  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const config = sandboxConfigSchema.parse({
      port: 0,
      sites: [
        {
          subscriptionId: sub,
          resourceGroup: 'rg',
          name: 'web',
          image: 'sandboxregistry.azurecr.io/contoso/web:1.0.0',
        },
      ],
      registry: {
        loginServer: 'sandboxregistry.azurecr.io',
        webhooks: [{ name: 'shepherd', serviceUri: `${hooks}/acr`, actions: ['push'] }],
        eventGrid: { endpoint: `${hooks}/eventgrid` },
      },
      keyVault: { vaultName: 'sandbox-vault' },
    });
    sandbox = await startSandbox(config, identity, new VirtualClock(Date.parse('2026-08-01T00:00:00Z')));
    credential = sandboxCredential(sandbox.url, identity);
  });
  after(async () => {
    http.close();
    await sandbox.close();
    receiver.close();
  });

  const versionAt = async (host: string): Promise<string | undefined> => {
    const res = await http.get(`https://${host}/`).catch(() => undefined);
    return res?.status === 200 ? (JSON.parse(res.body) as { version: string }).version : undefined;
  };

  it('runs each site’s starting image from the registry, without announcing it as a push', async () => {
    const arm = new WebSiteManagementClient(credential, sub, { endpoint: sandbox.url });
    const host = (await arm.webApps.get('rg', 'web')).defaultHostName ?? '';
    await waitFor('production to serve 1.0.0', async () =>
      (await versionAt(host)) === '1.0.0' ? true : undefined,
    );
    assert.deepEqual(received, []);
  });

  it('delivers a push to the webhook and Event Grid, and a slot set to the pushed image runs it', async () => {
    const result = await sandbox.registry.push('contoso/web:2.0.0', { latencyMs: 5 });
    assert.deepEqual(
      result.deliveries.map((d) => [d.kind, d.ok]),
      [
        ['webhook', true],
        ['eventGrid', true],
      ],
    );
    assert.deepEqual(
      received.map((r) => r.path),
      ['/acr', '/eventgrid'],
    );

    const arm = new WebSiteManagementClient(credential, sub, { endpoint: sandbox.url });
    await arm.webApps.updateConfigurationSlot('rg', 'web', 'staging', {
      linuxFxVersion: 'DOCKER|sandboxregistry.azurecr.io/contoso/web:2.0.0',
    });
    const host = (await arm.webApps.getSlot('rg', 'web', 'staging')).defaultHostName ?? '';
    await waitFor('staging to serve 2.0.0', async () =>
      (await versionAt(host)) === '2.0.0' ? true : undefined,
    );
  });

  it('leaves a slot down when its image was never pushed', async () => {
    const arm = new WebSiteManagementClient(credential, sub, { endpoint: sandbox.url });
    await arm.webApps.updateConfigurationSlot('rg', 'web', 'staging', {
      linuxFxVersion: 'DOCKER|sandboxregistry.azurecr.io/contoso/web:9.9.9',
    });
    const host = (await arm.webApps.getSlot('rg', 'web', 'staging')).defaultHostName ?? '';
    assert.equal((await http.get(`https://${host}/`)).status, 503);
  });

  it('serves the Key Vault on the same origin', async () => {
    const vault = new SecretClient(sandbox.url, credential, { disableChallengeResourceVerification: true });
    await vault.setSecret('db-password', 'first');
    assert.equal((await vault.getSecret('db-password')).value, 'first');
  });
});
