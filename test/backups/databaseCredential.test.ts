import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfiguredDatabaseCredentials,
  entraPostgresScope,
  fromConnectionString,
} from '../../src/azure/databaseCredential';
import type { TargetDatabase } from '../../src/config';
import { fixedTokenCredential, passwordSecretUri, secretsWith } from './testbed';

const database: TargetDatabase = {
  host: 'contoso-db.postgres.database.azure.com',
  port: 5432,
  name: 'appdb',
  user: 'shepherd',
  sslMode: 'require',
  credential: { keyVaultSecretUri: passwordSecretUri, holds: 'password' },
  backups: { enabled: true, retentionDays: 30 },
};

const base = {
  host: database.host,
  port: database.port,
  user: database.user,
  database: database.name,
  sslMode: database.sslMode,
};

describe('database credentials', () => {
  it('takes the password from the Key Vault secret the target names', async () => {
    const secrets = secretsWith({ [passwordSecretUri]: 'from-the-vault' });
    const credentials = new ConfiguredDatabaseCredentials(secrets, fixedTokenCredential('unused'));
    assert.deepEqual(await credentials.connectionTo(database), { ...base, password: 'from-the-vault' });
    assert.deepEqual(secrets.reads, [passwordSecretUri]);
  });

  it("takes host, port, user and password from a connection string secret, keeping the target's database", async () => {
    const secrets = secretsWith({
      [passwordSecretUri]: 'postgresql://app%40admin:p%40ss@other-host.example:6432/ignored?sslmode=require',
    });
    const credentials = new ConfiguredDatabaseCredentials(secrets, fixedTokenCredential('unused'));
    const connection = await credentials.connectionTo({
      ...database,
      credential: { keyVaultSecretUri: passwordSecretUri, holds: 'connectionString' },
    });
    assert.deepEqual(connection, {
      ...base,
      host: 'other-host.example',
      port: 6432,
      user: 'app@admin',
      password: 'p@ss',
    });
  });

  it('signs in passwordless with a Microsoft Entra token for Azure Database for PostgreSQL', async () => {
    const token = fixedTokenCredential('eyJ0eXAiOiJKV1QiLCJhbGciOi.entra-token');
    const credentials = new ConfiguredDatabaseCredentials(secretsWith({}), token);
    const connection = await credentials.connectionTo({ ...database, credential: { entra: true } });
    assert.equal(connection.password, 'eyJ0eXAiOiJKV1QiLCJhbGciOi.entra-token');
    assert.deepEqual(token.scopes, [entraPostgresScope]);
  });

  it('keeps the TLS mode and trusted CAs the target names', async () => {
    const credentials = new ConfiguredDatabaseCredentials(
      secretsWith({ [passwordSecretUri]: 'from-the-vault' }),
      fixedTokenCredential('unused'),
    );
    const connection = await credentials.connectionTo({
      ...database,
      sslMode: 'verify-full',
      sslRootCert: '/etc/shepherd/db-ca.pem',
    });
    assert.equal(connection.sslMode, 'verify-full');
    assert.equal(connection.sslRootCert, '/etc/shepherd/db-ca.pem');
    assert.equal(entraPostgresScope, 'https://ossrdbms-aad.database.windows.net/.default');
  });

  const refused: { rule: string; value: string; problem: RegExp }[] = [
    {
      rule: "libpq's key=value form, which the parser would take for a database name",
      value: 'host=db user=x password=hunter22',
      problem: /expected a postgres:\/\/ or postgresql:\/\/ URL/,
    },
    {
      rule: 'a URL without a password',
      value: 'postgres://admin@db.example/app',
      problem: /it has no password/,
    },
    {
      rule: 'a URL that does not parse',
      value: 'postgres://a:hunter22@db:99999/app',
      problem: /it is not a valid connection URL/,
    },
  ];
  for (const r of refused) {
    it(`refuses ${r.rule}, without quoting it`, () => {
      assert.throws(
        () => fromConnectionString(r.value, base),
        (err: Error) =>
          r.problem.test(err.message) && !err.message.includes('hunter22') && !err.message.includes(r.value),
      );
    });
  }
});
