import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { SandboxIdentity } from '../../dev/sandbox/context';
import { keyVaultModule } from '../../dev/sandbox/keyVault/module';
import type { SandboxServer } from '../../dev/sandbox/server';
import { audiences } from '../../dev/sandbox/tokens';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

type Sandbox = SandboxServer & { identity: SandboxIdentity };

interface Seen {
  method: string;
  path: string;
  authorized: boolean;
  status: number;
  challenge: string | undefined;
}

const day = 86_400_000;

/** A sandbox with one vault, recording every request the vault's routes answer. */
async function startVault(): Promise<{ sandbox: Sandbox; seen: Seen[] }> {
  const seen: Seen[] = [];
  const sandbox = await startTestSandbox([
    (app, ctx) => {
      app.addHook('onResponse', (req, reply, done) => {
        const challenge = reply.getHeader('www-authenticate');
        seen.push({
          method: req.method,
          path: req.url.split('?')[0] ?? '',
          authorized: req.headers.authorization !== undefined,
          status: reply.statusCode,
          challenge: typeof challenge === 'string' ? challenge : undefined,
        });
        done();
      });
      return keyVaultModule({ vaultName: 'shepherd-kv' })(app, ctx);
    },
  ]);
  return { sandbox, seen };
}

function credentialFor(sandbox: Sandbox): ClientSecretCredential {
  return sandboxCredential(sandbox.url, sandbox.identity);
}

function clientFor(sandbox: Sandbox, credential: TokenCredential = credentialFor(sandbox)): SecretClient {
  // The vault is on localhost, which no challenge resource can match (see FINDINGS 3.1).
  return new SecretClient(sandbox.url, credential, { disableChallengeResourceVerification: true });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('sandbox Key Vault with the real SecretClient', () => {
  let sandbox: Sandbox;
  let seen: Seen[];
  let client: SecretClient;
  before(async () => {
    ({ sandbox, seen } = await startVault());
    client = clientFor(sandbox);
  });
  after(() => sandbox.close());

  it("answers the client's first, token-less request with Key Vault's challenge, then serves it with the token", async () => {
    const fresh = clientFor(sandbox);
    seen.length = 0;
    const secret = await fresh.setSecret('challenge-flow', 'first value');
    assert.equal(secret.value, 'first value');
    const tenant = sandbox.identity.tenantId;
    assert.deepEqual(
      seen.map(({ method, path, authorized, status }) => ({ method, path, authorized, status })),
      [
        { method: 'PUT', path: '/secrets/challenge-flow', authorized: false, status: 401 },
        // The SDK asks the challenge's tenant for a token, then sends the request again with its body.
        {
          method: 'GET',
          path: `/${tenant}/v2.0/.well-known/openid-configuration`,
          authorized: false,
          status: 200,
        },
        { method: 'POST', path: `/${tenant}/oauth2/v2.0/token`, authorized: false, status: 200 },
        { method: 'PUT', path: '/secrets/challenge-flow', authorized: true, status: 200 },
      ],
    );
    assert.equal(
      seen[0]?.challenge,
      `Bearer authorization="https://login.microsoftonline.com/${sandbox.identity.tenantId}", resource="https://vault.azure.net"`,
    );
  });

  it('makes a new version on every set and reads the latest or any version', async () => {
    const first = await client.setSecret('db-password', 'v1', {
      contentType: 'text/plain',
      tags: { owner: 'ops' },
    });
    const second = await client.setSecret('db-password', 'v2');
    assert.match(first.properties.version ?? '', /^[0-9a-f]{32}$/);
    assert.notEqual(first.properties.version, second.properties.version);
    assert.equal(first.properties.id, `${sandbox.url}/secrets/db-password/${first.properties.version ?? ''}`);
    assert.equal(first.properties.vaultUrl, sandbox.url);
    assert.deepEqual(first.properties.tags, { owner: 'ops' });
    assert.equal(first.properties.contentType, 'text/plain');
    assert.equal(first.properties.enabled, true);
    assert.equal(first.properties.recoveryLevel, 'Recoverable+Purgeable');
    assert.equal(first.properties.recoverableDays, 90);

    assert.equal((await client.getSecret('db-password')).value, 'v2');
    assert.equal((await client.getSecret('db-password', { version: first.properties.version })).value, 'v1');
    assert.equal((await client.getSecret('DB-Password')).value, 'v2', 'names are case-insensitive');

    const versions = await collect(client.listPropertiesOfSecretVersions('db-password'));
    assert.deepEqual(
      versions.map((v) => v.version),
      [first.properties.version, second.properties.version].sort(),
    );
  });

  it('lists each secret once, at its latest version, without values', async () => {
    await client.setSecret('list-me', 'a', { tags: { round: '1' } });
    await client.setSecret('list-me', 'b', { tags: { round: '2' } });
    const listed = (await collect(client.listPropertiesOfSecrets())).filter((s) => s.name === 'list-me');
    assert.deepEqual(
      listed.map((s) => ({ id: s.id, version: s.version, tags: s.tags })),
      [{ id: `${sandbox.url}/secrets/list-me`, version: undefined, tags: { round: '2' } }],
      'one item, naming the secret rather than a version',
    );
  });

  it("updates one version's properties and refuses to read a disabled version's value", async () => {
    const old = await client.setSecret('api-key', 'old');
    const current = await client.setSecret('api-key', 'current');
    const notBefore = new Date(Date.UTC(2029, 0, 1));
    const expiresOn = new Date(Date.UTC(2030, 0, 1));
    const updated = await client.updateSecretProperties('api-key', old.properties.version ?? '', {
      enabled: false,
      notBefore,
      expiresOn,
      contentType: 'application/x-key',
      tags: { rotated: 'yes' },
    });
    assert.equal(updated.enabled, false);
    assert.deepEqual(updated.notBefore, notBefore);
    assert.deepEqual(updated.expiresOn, expiresOn);
    assert.equal(updated.contentType, 'application/x-key');
    assert.deepEqual(updated.tags, { rotated: 'yes' });

    await assert.rejects(client.getSecret('api-key', { version: old.properties.version }), {
      statusCode: 403,
      code: 'Forbidden',
      message: 'Operation get is not allowed on a disabled secret.',
    });
    assert.equal((await client.getSecret('api-key')).value, 'current', 'the other version is untouched');

    const versions = await collect(client.listPropertiesOfSecretVersions('api-key'));
    assert.deepEqual(
      new Map(versions.map((v) => [v.version, v.enabled])),
      new Map([
        [old.properties.version, false],
        [current.properties.version, true],
      ]),
    );
    await client.updateSecretProperties('api-key', old.properties.version ?? '', { enabled: true });
    assert.equal((await client.getSecret('api-key', { version: old.properties.version })).value, 'old');
  });

  it('soft-deletes a secret for 90 days, refuses its name meanwhile, and recovers it with every version', async () => {
    await client.setSecret('to-delete', 'one');
    await client.setSecret('to-delete', 'two');
    const poller = await client.beginDeleteSecret('to-delete');
    const deleted = await poller.pollUntilDone();
    assert.equal(deleted.recoveryId, `${sandbox.url}/deletedsecrets/to-delete`);
    assert.ok(deleted.deletedOn && deleted.scheduledPurgeDate);
    assert.equal(deleted.scheduledPurgeDate.getTime() - deleted.deletedOn.getTime(), 90 * day);

    await assert.rejects(client.getSecret('to-delete'), { statusCode: 404, code: 'SecretNotFound' });
    assert.equal((await client.getDeletedSecret('to-delete')).properties.version, deleted.properties.version);
    assert.ok((await collect(client.listDeletedSecrets())).some((d) => d.name === 'to-delete'));
    await assert.rejects(client.setSecret('to-delete', 'three'), { statusCode: 409, code: 'Conflict' });

    const recovered = await (await client.beginRecoverDeletedSecret('to-delete')).pollUntilDone();
    assert.equal(recovered.name, 'to-delete');
    assert.equal((await client.getSecret('to-delete')).value, 'two');
    assert.equal((await collect(client.listPropertiesOfSecretVersions('to-delete'))).length, 2);
    await assert.rejects(client.getDeletedSecret('to-delete'), { statusCode: 404, code: 'SecretNotFound' });
  });

  it('purges a deleted secret for good, which frees its name', async () => {
    await client.setSecret('to-purge', 'old');
    await (await client.beginDeleteSecret('to-purge')).pollUntilDone();
    await client.purgeDeletedSecret('to-purge');
    await assert.rejects(client.getDeletedSecret('to-purge'), { statusCode: 404, code: 'SecretNotFound' });
    await client.setSecret('to-purge', 'new');
    assert.equal((await collect(client.listPropertiesOfSecretVersions('to-purge'))).length, 1);
  });

  it('answers a missing secret with 404 SecretNotFound', async () => {
    await assert.rejects(client.getSecret('never-set'), {
      statusCode: 404,
      code: 'SecretNotFound',
      message: /A secret with \(name\/id\) never-set was not found in this key vault/,
    });
  });

  it('refuses a token issued for another audience', async () => {
    const credential = credentialFor(sandbox);
    // Hands out a management token whatever the challenge asks for.
    const armOnly: TokenCredential = {
      getToken: (): Promise<AccessToken> => credential.getToken(`${audiences.arm}/.default`),
    };
    await assert.rejects(clientFor(sandbox, armOnly).getSecret('db-password'), {
      statusCode: 401,
      code: 'Unauthorized',
      message: /^AKV10022: Invalid audience/,
    });
  });
});

describe('sandbox Key Vault paging with the real SecretClient', () => {
  let sandbox: Sandbox;
  let client: SecretClient;
  before(async () => {
    ({ sandbox } = await startVault());
    client = clientFor(sandbox);
    for (let i = 0; i < 30; i++) await client.setSecret(`secret-${String(i).padStart(2, '0')}`, `value ${i}`);
    for (let i = 0; i < 12; i++) await client.setSecret('many-versions', `value ${i}`);
  });
  after(() => sandbox.close());

  it('serves 25 secrets a page by default and follows nextLink to the rest', async () => {
    const pages = await collect(client.listPropertiesOfSecrets().byPage());
    assert.deepEqual(
      pages.map((p) => p.length),
      [25, 6],
    );
    const names = pages.flat().map((s) => s.name);
    assert.equal(new Set(names).size, 31);
    assert.ok(names.includes('secret-00') && names.includes('secret-29') && names.includes('many-versions'));
  });

  it('honours a smaller page size for versions, listed in ascending order of version id as Key Vault lists them', async () => {
    const pages = await collect(
      client.listPropertiesOfSecretVersions('many-versions').byPage({ maxPageSize: 5 }),
    );
    assert.deepEqual(
      pages.map((p) => p.length),
      [5, 5, 2],
    );
    const listed = pages.flat().map((v) => v.version ?? '');
    assert.equal(new Set(listed).size, 12);
    assert.deepEqual(listed, [...listed].sort());
  });
});
