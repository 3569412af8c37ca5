import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SecretClient } from '@azure/keyvault-secrets';
import { VirtualClock } from '../../dev/host/clock';
import { keyVaultModule } from '../../dev/sandbox/keyVault/module';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { KeyVaultSecretReader } from '../../src/azure/keyVaultSecrets';
import { KeyVaultSecretVersions, restoredFromVersionTag } from '../../src/azure/secretVersions';
import type { SecretVersionInfo } from '../../src/azure/secretVersions';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

const minute = 60_000;
const day = 86_400_000;

describe('Key Vault secret versions, against the sandbox vault with the real SecretClient', () => {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1));
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let versions: KeyVaultSecretVersions;
  let reader: KeyVaultSecretReader;
  /** The SDK's own client, to arrange what the adapter then finds. */
  let vault: SecretClient;
  const uri = (name: string): string => `${sandbox.url}/secrets/${name}`;

  before(async () => {
    sandbox = await startTestSandbox([keyVaultModule({ vaultName: 'shepherd-kv' })], clock);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    versions = new KeyVaultSecretVersions(credential, { sandbox: true });
    reader = new KeyVaultSecretReader(credential, { sandbox: true });
    vault = new SecretClient(sandbox.url, credential, { disableChallengeResourceVerification: true });
  });
  after(() => sandbox.close());

  /** Sets `values` as successive versions a minute apart, as the rotation would over time. */
  async function history(name: string, values: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const value of values) {
      await clock.advance(minute);
      ids.push((await vault.setSecret(name, value)).properties.version ?? '');
    }
    return ids;
  }

  it("reads the current version's properties, and never its value", async () => {
    await history('db-password', ['first']);
    const expiresOn = new Date(clock.now() + 120 * day);
    await clock.advance(minute);
    const set = await vault.setSecret('db-password', 'hunter22-current', {
      contentType: 'text/plain',
      tags: { Role: 'app_blue' },
      expiresOn,
    });
    const current = await versions.current(uri('db-password'));
    assert.deepEqual(current, {
      version: set.properties.version,
      id: `${sandbox.url}/secrets/db-password/${set.properties.version ?? ''}`,
      createdOn: new Date(Math.floor(clock.now() / 1000) * 1000),
      expiresOn,
      enabled: true,
      contentType: 'text/plain',
      tags: { Role: 'app_blue' },
    });
    assert.ok(!JSON.stringify(current).includes('hunter22'));
  });

  it('lists every version newest first, though Key Vault lists them by version id', async () => {
    const ids = await history(
      'many',
      Array.from({ length: 12 }, (_, i) => `value ${i}`),
    );
    const listed = await versions.list(uri('many'));
    assert.deepEqual(
      listed.map((v) => v.version),
      [...ids].reverse(),
    );
    assert.ok(listed.every((v) => !('value' in v)));
  });

  it('writes a new version with its value, expiry, content type and tags, and it becomes current', async () => {
    await history('api-signing-key', ['old']);
    await vault.updateSecretProperties(
      'api-signing-key',
      (await versions.current(uri('api-signing-key'))).version,
      {
        tags: { Stale: 'yes' },
      },
    );
    await clock.advance(minute);
    const expiresOn = new Date(clock.now() + 120 * day);
    const written = await versions.write(uri('api-signing-key'), 'fresh value', {
      expiresOn,
      contentType: 'text/plain',
      tags: { Reason: 'scheduled', By: 'schedule' },
    });
    assert.match(written.version, /^[0-9a-f]{32}$/);
    assert.deepEqual(await versions.current(uri('api-signing-key')), written);
    assert.deepEqual(written.tags, { Reason: 'scheduled', By: 'schedule' }, "no tag of the older version's");
    assert.deepEqual(written.expiresOn, expiresOn);
    assert.equal(await reader.readSecret(uri('api-signing-key')), 'fresh value');
    assert.equal(await reader.readSecret(written.id), 'fresh value');
  });

  it('restores an earlier version as a new one holding its value and content type, without handing the value out', async () => {
    await clock.advance(minute);
    const earlier = await vault.setSecret('conn', 'postgres://app_blue:old@db/app', {
      contentType: 'application/x-postgres-url',
    });
    await history('conn', ['postgres://app_green:new@db/app']);
    await clock.advance(minute);
    const expiresOn = new Date(clock.now() + 120 * day);
    const restored: SecretVersionInfo = await versions.restore(
      uri('conn'),
      earlier.properties.version ?? '',
      {
        expiresOn,
        tags: { Reason: 'consumer contoso-web did not verify' },
      },
    );
    assert.ok(!JSON.stringify(restored).includes('app_blue:old'));
    assert.notEqual(restored.version, earlier.properties.version);
    assert.deepEqual(restored.tags, {
      Reason: 'consumer contoso-web did not verify',
      [restoredFromVersionTag]: earlier.properties.version,
    });
    assert.equal(restored.contentType, 'application/x-postgres-url');
    assert.deepEqual(restored.expiresOn, expiresOn);
    assert.equal(
      await reader.readSecret(uri('conn')),
      'postgres://app_blue:old@db/app',
      'versionless readers get it',
    );
    assert.equal((await versions.current(uri('conn'))).version, restored.version);
    assert.equal((await versions.list(uri('conn'))).length, 3, 'the earlier versions stay as they were');
  });

  it('refuses to restore a disabled version, writing nothing', async () => {
    const [disabled] = await history('switched', ['was disabled', 'current']);
    await vault.updateSecretProperties('switched', disabled ?? '', { enabled: false });
    await assert.rejects(
      versions.restore(uri('switched'), disabled ?? '', { expiresOn: new Date(clock.now() + day), tags: {} }),
      (err: AzureOperationError) =>
        err instanceof AzureOperationError &&
        err.message ===
          `restore version ${disabled ?? ''} of Key Vault secret switched failed (403 Forbidden): Operation get is not allowed on a disabled secret.`,
    );
    assert.equal((await versions.list(uri('switched'))).length, 2);
  });

  it('says the current version is disabled when the latest is, as readers then get 403 and no older version', async () => {
    const [, latest] = await history('latest-off', ['enabled, older', 'disabled, latest']);
    await vault.updateSecretProperties('latest-off', latest ?? '', { enabled: false });
    const current = await versions.current(uri('latest-off'));
    assert.equal(current.version, latest);
    assert.equal(current.enabled, false);
    await assert.rejects(reader.readSecret(uri('latest-off')), { status: 403, code: 'Forbidden' });
  });

  it('names the secret and what failed for a secret that does not exist', async () => {
    await assert.rejects(versions.current(uri('never-set')), {
      name: 'AzureOperationError',
      status: 404,
      code: 'SecretNotFound',
      message:
        /^read the current version of Key Vault secret never-set failed \(404 SecretNotFound\): A secret with/,
    });
  });

  it('refuses a URI that names a version, and more than 15 tags, before calling Key Vault', async () => {
    const [version] = await history('strict', ['only']);
    await assert.rejects(versions.list(`${uri('strict')}/${version ?? ''}`), {
      message: new RegExp(
        `^list the versions of Key Vault secret strict failed: .* names version ${version ?? ''}; versions are managed through the versionless URI$`,
      ),
    });
    const tags = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, 'x']));
    await assert.rejects(
      versions.write(uri('strict'), 'never written', {
        expiresOn: new Date(clock.now() + day),
        contentType: 'text/plain',
        tags,
      }),
      {
        message:
          'write a new version of Key Vault secret strict failed: a version takes at most 15 tags, not 16',
      },
    );
    await assert.rejects(
      versions.restore(uri('strict'), version ?? '', {
        expiresOn: new Date(clock.now() + day),
        tags: Object.fromEntries(Object.entries(tags).slice(1)),
      }),
      /at most 15 tags, not 16/,
      'the restore tag counts too',
    );
    assert.equal((await versions.list(uri('strict'))).length, 1);
  });

  it('keeps the value out of the error when Key Vault refuses a write', async () => {
    await vault.setSecret('deleted-one', 'x');
    await (await vault.beginDeleteSecret('deleted-one')).pollUntilDone();
    await assert.rejects(
      versions.write(uri('deleted-one'), 'hunter22-value', {
        expiresOn: new Date(clock.now() + day),
        contentType: 'text/plain',
        tags: {},
      }),
      (err: Error) =>
        err instanceof AzureOperationError &&
        err.status === 409 &&
        /^write a new version of Key Vault secret deleted-one failed \(409 Conflict\)/.test(err.message) &&
        ![err.message, err.reason, String(err.stack)].some((text) => text.includes('hunter22')),
    );
  });
});
