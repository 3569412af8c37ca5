import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SecretClient } from '@azure/keyvault-secrets';
import { Client } from 'pg';
import { VirtualClock } from '../../dev/host/clock';
import { keyVaultModule } from '../../dev/sandbox/keyVault/module';
import { inspectSecret } from '../../src/activities/inspectSecret';
import { restoreSecretVersion } from '../../src/activities/restoreSecretVersion';
import { writeSecretValue } from '../../src/activities/writeSecretValue';
import { KeyVaultSecretReader } from '../../src/azure/keyVaultSecrets';
import { PgPostgresRoles } from '../../src/azure/postgresRoles';
import { KeyVaultSecretVersions } from '../../src/azure/secretVersions';
import { loadConfig } from '../../src/config';
import type { RotationServices } from '../../src/rotationServices';
import type { PostgresRoleSecret } from '../../src/secretSettings';
import { startPostgres } from '../support/postgres';
import type { RunningPostgres } from '../support/postgres';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { repoRoot, tempDir } from '../support/testHost';

const run = randomBytes(3).toString('hex');
const roles = { blue: `act_blue_${run}`, green: `act_green_${run}`, admin: `act_admin_${run}` };
const adminPassword = `admin-${randomBytes(12).toString('hex')}`;
const request = { via: 'person' as const, by: 'ana', reason: 'quarterly rotation' };

describe('the rotation activities, against the sandbox vault and a real cluster', () => {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1));
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let pg: RunningPostgres;
  let su: Client;
  let vault: SecretClient;
  let services: RotationServices;
  let secret: PostgresRoleSecret;

  before(async () => {
    sandbox = await startTestSandbox([keyVaultModule({ vaultName: 'shepherd-kv' })], clock);
    pg = await startPostgres();
    su = new Client({ connectionString: pg.url });
    await su.connect();
    await su.query(`CREATE ROLE ${roles.admin} LOGIN CREATEROLE PASSWORD '${adminPassword}'`);
    await su.query(`CREATE ROLE ${roles.blue} LOGIN PASSWORD 'blue-${run}-initial'`);
    await su.query(`CREATE ROLE ${roles.green} LOGIN PASSWORD 'green-${run}-initial'`);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    vault = new SecretClient(sandbox.url, credential, { disableChallengeResourceVerification: true });
    const reader = new KeyVaultSecretReader(credential, { sandbox: true });
    const port = Number(new URL(pg.url).port || 5432);
    secret = passwordSecret(sandbox.url, port);
    services = {
      versions: new KeyVaultSecretVersions(credential, { sandbox: true }),
      reader,
      roles: new PgPostgresRoles(),
      references: {
        refresh: () => Promise.reject(new Error('not used here')),
        references: () => Promise.reject(new Error('not used here')),
        reload: () => Promise.reject(new Error('not used here')),
      },
      slots: {
        getImage: () => Promise.reject(new Error('not used here')),
        deployImage: () => Promise.reject(new Error('not used here')),
        restart: () => Promise.reject(new Error('not used here')),
        hostName: () => Promise.reject(new Error('not used here')),
      },
      adminConnection: () =>
        Promise.resolve({
          host: '127.0.0.1',
          port,
          user: roles.admin,
          password: adminPassword,
          database: 'postgres',
          sslMode: 'disable',
        }),
    };
  });

  after(async () => {
    await su.end();
    await pg.stop();
    await sandbox.close();
  });

  /** A two-role secret that holds the password alone, with the role in a second secret. */
  function passwordSecret(sandboxUrl: string, port: number): PostgresRoleSecret {
    const file = join(tempDir('activities'), 'targets.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          {
            name: 'shop',
            site: {
              subscriptionId: '00000000-0000-0000-0000-00000000aaaa',
              resourceGroup: 'rg',
              name: 'shop',
            },
            registry: { loginServer: 'reg.azurecr.io', repository: 'contoso/shop' },
          },
        ],
        secrets: [
          {
            name: 'shop-password',
            kind: 'postgresRole',
            keyVaultSecretUri: `${sandboxUrl}/secrets/shop-password`,
            consumers: ['shop'],
            postgres: {
              host: '127.0.0.1',
              port,
              database: 'postgres',
              sslMode: 'disable',
              roles: [roles.blue, roles.green],
              holds: 'password',
              userSecretUri: `${sandboxUrl}/secrets/shop-user`,
              admin: { user: roles.admin, credential: { entra: true } },
            },
          },
        ],
      }),
    );
    const config = loadConfig(
      {
        SHEPHERD_TASK_HUB: 'Activities',
        SHEPHERD_TARGETS_FILE: file,
        SHEPHERD_ACR_WEBHOOK_SECRET: 'activities-webhook-secret',
        SHEPHERD_ALERT_WEBHOOK_SECRET: 'activities-alert-secret',
        SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
      },
      repoRoot,
    );
    const [parsed] = config.secrets;
    if (parsed?.kind !== 'postgresRole') throw new Error('expected a two-role secret');
    return parsed;
  }

  async function logsIn(role: string, password: string): Promise<boolean> {
    const port = Number(new URL(pg.url).port || 5432);
    const client = new Client({ host: '127.0.0.1', port, user: role, password, database: 'postgres' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  it('writes the password and its role, each as a new version, and the password logs in as the role', async () => {
    await vault.setSecret('shop-password', `blue-${run}-initial`);
    await vault.setSecret('shop-user', roles.blue);
    const before = await inspectSecret(services)({ secret });
    assert.equal(before.role, roles.blue, 'the role is read from the second secret');

    const { version } = await writeSecretValue(services)({
      secret,
      role: roles.green,
      rotationId: 'rotation:shop-password:1',
      requestedBy: request,
      writtenAt: new Date(clock.now()).toISOString(),
    });
    const written = await vault.getSecret('shop-password');
    assert.equal(written.properties.version, version);
    assert.equal((await vault.getSecret('shop-user')).value, roles.green);
    assert.ok(await logsIn(roles.green, written.value ?? ''));
    assert.ok(await logsIn(roles.blue, `blue-${run}-initial`), 'the role in use is untouched');
    assert.deepEqual(written.properties.tags, {
      ShepherdRotation: 'rotation:shop-password:1',
      ShepherdRole: roles.green,
      ShepherdRequestedBy: 'person: ana',
      ShepherdReason: 'quarterly rotation',
    });
    assert.equal(
      written.properties.expiresOn?.toISOString(),
      new Date(clock.now() + 120 * 86_400_000).toISOString(),
      'it expires 90 + 30 days on',
    );
    assert.equal((await inspectSecret(services)({ secret })).role, roles.green);

    const again = await writeSecretValue(services)({
      secret,
      role: roles.green,
      rotationId: 'rotation:shop-password:1',
      requestedBy: request,
      writtenAt: new Date(clock.now()).toISOString(),
    });
    assert.equal(again.version, version, 'a retried write finds its version and writes no other');
  });

  it('puts the previous value and role back as the current versions, once however often asked', async () => {
    const previous = (await inspectSecret(services)({ secret })).version ?? '';
    await writeSecretValue(services)({
      secret,
      role: roles.blue,
      rotationId: 'rotation:shop-password:2',
      requestedBy: request,
      writtenAt: new Date(clock.now()).toISOString(),
    });
    const restore = {
      secret,
      version: previous,
      rotationId: 'rotation:shop-password:2',
      restoredAt: new Date(clock.now()).toISOString(),
    };
    const first = await restoreSecretVersion(services)(restore);
    const second = await restoreSecretVersion(services)(restore);
    assert.equal(second.version, first.version);
    const current = await vault.getSecret('shop-password');
    assert.equal(current.properties.version, first.version);
    assert.equal(current.value, (await vault.getSecret('shop-password', { version: previous })).value);
    assert.equal((await vault.getSecret('shop-user')).value, roles.green);
    assert.ok(await logsIn(roles.green, current.value ?? ''));
  });
  it('still writes the role on a retry when the try before wrote the password and stopped short of the role', async () => {
    const rotationId = 'rotation:shop-password:3';
    const write = {
      secret,
      role: roles.blue,
      rotationId,
      requestedBy: request,
      writtenAt: new Date(clock.now()).toISOString(),
    };
    const { version } = await writeSecretValue(services)(write);
    // As if the first try had ended before its second write: the role secret still names green.
    await vault.setSecret('shop-user', roles.green);

    const again = await writeSecretValue(services)(write);
    assert.equal(again.version, version, 'the password is not written again');
    const user = await vault.getSecret('shop-user');
    assert.equal(user.value, roles.blue);
    assert.equal(user.properties.tags?.ShepherdRotation, rotationId);
    assert.ok(await logsIn(roles.blue, (await vault.getSecret('shop-password')).value ?? ''));
  });

  it('puts back the role the rotation found in use, for a first version written by hand without a role tag', async () => {
    await vault.setSecret('shop-password', `green-${run}-by-hand`);
    await vault.setSecret('shop-user', roles.green);
    const before = await inspectSecret(services)({ secret });
    assert.equal(before.role, roles.green);
    await writeSecretValue(services)({
      secret,
      role: roles.blue,
      rotationId: 'rotation:shop-password:4',
      requestedBy: request,
      writtenAt: new Date(clock.now()).toISOString(),
    });
    assert.equal((await vault.getSecret('shop-user')).value, roles.blue);

    await restoreSecretVersion(services)({
      secret,
      version: before.version ?? '',
      role: before.role,
      rotationId: 'rotation:shop-password:4',
      restoredAt: new Date(clock.now()).toISOString(),
    });
    assert.equal((await vault.getSecret('shop-password')).value, `green-${run}-by-hand`);
    assert.equal(
      (await vault.getSecret('shop-user')).value,
      roles.green,
      'the role goes back with its password',
    );
  });
});
