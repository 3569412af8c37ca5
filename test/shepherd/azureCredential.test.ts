import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DefaultAzureCredential } from '@azure/identity';
import type { DefaultAzureCredentialOptions, TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { createAppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { keyVaultModule } from '../../dev/sandbox/keyVault/module';
import { shepherdSettingsFor } from '../../dev/sandbox/shepherdSettings';
import { createBackupServices } from '../../src/backupServices';
import {
  azureCredentialOnFirstUse,
  azureCredentialOptions,
  createAzureCredential,
  credentialOnFirstUse,
} from '../../src/azure/credential';
import type { SignInSettings } from '../../src/azure/credential';
import type { SiteRef } from '../../src/azure/siteRef';
import { AppServiceSlotDeployment } from '../../src/azure/slotDeployment';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { loadConfig } from '../../src/config';
import type { Config } from '../../src/config';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { tempDir } from '../support/testHost';

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
/** Azure US Government's Microsoft Entra authority: a sovereign cloud sets it and nothing else. */
const sovereignAuthority = 'https://login.microsoftonline.us';
const databasePassword = 'db-password-from-the-vault';

type HttpClient = NonNullable<DefaultAzureCredentialOptions['httpClient']>;
type PipelineResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;

/** An HTTP client for the SDK that records each URL asked and answers every request 400, reaching nothing. */
function refusingHttpClient(asked: string[]): HttpClient {
  return {
    sendRequest: (request) => {
      asked.push(request.url);
      const headers = new Map([['content-type', 'application/json']]);
      const response: PipelineResponse = {
        request,
        status: 400,
        headers: {
          get: (name) => headers.get(name.toLowerCase()),
          has: (name) => headers.has(name.toLowerCase()),
          set: (name, value) => void headers.set(name.toLowerCase(), String(value)),
          delete: (name) => void headers.delete(name.toLowerCase()),
          toJSON: () => Object.fromEntries(headers),
          [Symbol.iterator]: () => headers.entries(),
        },
        bodyAsText: JSON.stringify({ error: 'invalid_request', error_description: 'refused by the test' }),
      };
      return Promise.resolve(response);
    },
  };
}

/** The URLs a real DefaultAzureCredential made with Shepherd's options for `settings` asks for a token, every answer refused. */
async function urlsAskedSigningIn(settings: SignInSettings): Promise<string[]> {
  const asked: string[] = [];
  const credential = new DefaultAzureCredential({
    ...azureCredentialOptions(settings),
    httpClient: refusingHttpClient(asked),
  });
  await assert.rejects(credential.getToken('https://management.azure.com/.default'));
  return asked;
}

describe('signing in: the Azure credential and Key Vault', () => {
  const appService = createAppService({
    sites: [{ ...site, location: 'West Europe', slots: [], image: 'reg.azurecr.io/web:1' }],
    images: () => imageFaultsSchema.parse({}),
  });
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  const saved = new Map(variables.map((name) => [name, process.env[name]]));
  const sandboxSettings = (): { authorityHost: string; sandbox: boolean } => ({
    authorityHost: sandbox.url,
    sandbox: true,
  });

  /** Shepherd's settings with `env` on top, for a target whose database password is in the sandbox's vault. */
  function configWith(env: Record<string, string>): Config {
    const root = tempDir('sign-in');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    const target = {
      name: 'web',
      site,
      registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/web' },
      database: {
        host: 'db.example',
        name: 'shop',
        user: 'shepherd',
        credential: { keyVaultSecretUri: `${sandbox.url}/secrets/db-password` },
      },
    };
    writeFileSync(join(root, 'targets.json'), JSON.stringify({ targets: [target] }));
    return loadConfig(
      {
        SHEPHERD_TASK_HUB: 'SignIn',
        SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
        SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
        SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
        SHEPHERD_BACKUP_STORAGE: 'UseDevelopmentStorage=true',
        ...env,
      },
      root,
    );
  }

  async function databasePasswordWith(config: Config): Promise<string> {
    const database = config.targets[0]?.database;
    assert.ok(database);
    return (await createBackupServices(config).credentials.connectionTo(database)).password;
  }

  before(async () => {
    sandbox = await startTestSandbox([appService.module, keyVaultModule({ vaultName: 'sign-in-kv' })]);
    // The sandbox identity, as the environment credential (first in DefaultAzureCredential's chain) reads it.
    process.env.AZURE_TENANT_ID = sandbox.identity.tenantId;
    process.env.AZURE_CLIENT_ID = sandbox.identity.clientId;
    process.env.AZURE_CLIENT_SECRET = sandbox.identity.clientSecret;
    Reflect.deleteProperty(process.env, 'AZURE_AUTHORITY_HOST');
    const vault = new SecretClient(sandbox.url, sandboxCredential(sandbox.url, sandbox.identity), {
      disableChallengeResourceVerification: true,
    });
    await vault.setSecret('db-password', databasePassword);
  });
  after(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    await sandbox.close();
  });

  it('gets a token from the sandbox’s authority with the environment’s client secret', async () => {
    const credential = createAzureCredential(sandboxSettings());
    assert.ok(credential instanceof DefaultAzureCredential);
    const token = await credential.getToken('https://management.azure.com/.default');
    assert.ok(token.token.length > 0);
    assert.ok(token.expiresOnTimestamp > Date.now());
  });

  it('makes the credential the services hold at the first token asked for, once, and signs in through it', async () => {
    let made = 0;
    const scopesAsked: (string | string[])[] = [];
    const credential = credentialOnFirstUse((): TokenCredential => {
      made++;
      const real = createAzureCredential(sandboxSettings());
      return {
        getToken: (scopes, options) => {
          scopesAsked.push(scopes);
          return real.getToken(scopes, options);
        },
      };
    });
    assert.equal(made, 0);
    const [first, second] = await Promise.all([
      credential.getToken('https://management.azure.com/.default'),
      credential.getToken('https://vault.azure.net/.default'),
    ]);
    assert.equal(made, 1);
    assert.deepEqual(scopesAsked, [
      'https://management.azure.com/.default',
      'https://vault.azure.net/.default',
    ]);
    assert.ok(first && first.token.length > 0 && second && second.token.length > 0);
    const token = await azureCredentialOnFirstUse(sandboxSettings()).getToken(
      'https://management.azure.com/.default',
    );
    assert.ok(token && token.expiresOnTimestamp > Date.now());
  });

  it('signs the App Service adapter in', async () => {
    const credential = createAzureCredential(sandboxSettings());
    const deployment = new AppServiceSlotDeployment(
      new WebAppsClients({ credential, endpoint: sandbox.url }),
    );
    assert.equal(await deployment.getImage(site), 'reg.azurecr.io/web:1');
  });

  it('leaves Azure’s defaults alone when no authority host is given', () => {
    const config = configWith({});
    assert.deepEqual(azureCredentialOptions(config), {});
    assert.ok(createAzureCredential(config) instanceof DefaultAzureCredential);
  });

  it('keeps instance discovery for a sovereign cloud’s authority host set alone', () => {
    const config = configWith({ AZURE_AUTHORITY_HOST: sovereignAuthority });
    assert.equal(config.sandbox, false);
    assert.deepEqual(azureCredentialOptions(config), { authorityHost: sovereignAuthority });
  });

  it('makes the real credential ask Microsoft Entra about an authority host it does not know, unless it is the sandbox', async () => {
    const authorityHost = 'https://login.sovereign.example';
    const askedWithout = await urlsAskedSigningIn({ authorityHost, sandbox: false });
    assert.ok(
      askedWithout.some((url) =>
        url.startsWith('https://login.microsoftonline.com/common/discovery/instance'),
      ),
      `instance discovery was asked first: ${askedWithout.join(', ')}`,
    );
    const askedSandbox = await urlsAskedSigningIn({ authorityHost, sandbox: true });
    assert.ok(
      askedSandbox.some((url) => url.startsWith(authorityHost)),
      askedSandbox.join(', '),
    );
    assert.ok(
      askedSandbox.every((url) => !url.startsWith('https://login.microsoftonline.com')),
      `nothing went to Microsoft Entra: ${askedSandbox.join(', ')}`,
    );
  });

  it('keeps Key Vault’s challenge verification for a sovereign authority host, so a vault on another domain gets no token', async () => {
    const config = configWith({ AZURE_AUTHORITY_HOST: sovereignAuthority });
    await assert.rejects(
      databasePasswordWith(config),
      /challenge resource 'vault\.azure\.net' does not match the requested domain/,
    );
  });

  it('reads the sandbox vault’s secrets only with the sandbox switch', async () => {
    const config = configWith(shepherdSettingsFor(sandbox.url));
    assert.equal(config.sandbox, true);
    assert.equal(await databasePasswordWith(config), databasePassword);
  });
});
