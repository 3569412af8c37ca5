import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pgDumpCommand, pgRestoreCommand, pgRestoreListCommand } from '../../src/azure/postgresCommands';
import type { PgConnection } from '../../src/azure/postgresConnection';
import { systemCaBundle, toPgClientConfig } from '../../src/azure/postgresConnection';

const connection: PgConnection = {
  host: 'contoso-db.postgres.database.azure.com',
  port: 6432,
  user: 'shepherd-backup',
  password: 's3cret-Pa55word!',
  database: 'appdb',
  sslMode: 'require',
};

describe('the commands pg_dump and pg_restore run with', () => {
  const commands = [
    ['pg_dump', pgDumpCommand(connection)],
    ['pg_restore', pgRestoreCommand(connection, 'appdb_restored')],
    ['pg_restore --list', pgRestoreListCommand()],
  ] as const;

  for (const [program, command] of commands) {
    it(`keeps credentials and the server off ${program}'s command line`, () => {
      const line = command.args.join(' ');
      for (const secretOrPlace of [
        connection.password,
        connection.user,
        connection.host,
        String(connection.port),
      ])
        assert.ok(!line.includes(secretOrPlace), `${program} ${line}`);
      assert.ok(!/password=|postgres(ql)?:\/\/|\s-W\b/i.test(line), line);
    });

    it(`gives ${program} nothing of Shepherd's own environment`, () => {
      assert.deepEqual(
        Object.keys(command.env).filter((name) => !name.startsWith('PG') && name !== 'LC_MESSAGES'),
        [],
      );
    });
  }

  it('hands pg_dump the connection through libpq environment variables', () => {
    const { args, env } = pgDumpCommand(connection);
    assert.deepEqual(args.slice(0, 2), ['--format=custom', '--no-password']);
    assert.deepEqual(
      {
        PGHOST: env.PGHOST,
        PGPORT: env.PGPORT,
        PGUSER: env.PGUSER,
        PGPASSWORD: env.PGPASSWORD,
        PGDATABASE: env.PGDATABASE,
        PGSSLMODE: env.PGSSLMODE,
      },
      {
        PGHOST: 'contoso-db.postgres.database.azure.com',
        PGPORT: '6432',
        PGUSER: 'shepherd-backup',
        PGPASSWORD: 's3cret-Pa55word!',
        PGDATABASE: 'appdb',
        PGSSLMODE: 'require',
      },
    );
  });

  it('restores in one transaction into the named database, replacing what an earlier run left', () => {
    const { args, env } = pgRestoreCommand(connection, 'appdb_restored');
    assert.deepEqual(args, [
      '--dbname=appdb_restored',
      '--single-transaction',
      '--exit-on-error',
      '--clean',
      '--if-exists',
      '--no-password',
    ]);
    assert.equal(env.PGDATABASE, 'appdb_restored');
    assert.equal(env.PGPASSWORD, connection.password);
  });

  it('refuses a database name libpq would read as a connection string', () => {
    for (const name of ['host=evil.example dbname=x', 'postgres://u:p@evil/x', '../x', ''])
      assert.throws(() => pgRestoreCommand(connection, name), /must be a plain name/);
  });

  it('gives pg_restore --list no connection at all', () => {
    assert.deepEqual(pgRestoreListCommand(), { args: ['--list'], env: { LC_MESSAGES: 'C' } });
  });

  it('has libpq check the certificate with verify-full, against the machine’s CAs unless given others', () => {
    const verified: PgConnection = { ...connection, sslMode: 'verify-full' };
    assert.equal(pgDumpCommand(verified).env.PGSSLMODE, 'verify-full');
    assert.equal(pgDumpCommand(verified).env.PGSSLROOTCERT, systemCaBundle);
    const ownCa = { ...verified, sslRootCert: '/etc/shepherd/db-ca.pem' };
    assert.equal(pgRestoreCommand(ownCa, 'appdb_restored').env.PGSSLROOTCERT, '/etc/shepherd/db-ca.pem');
    assert.equal(pgDumpCommand(connection).env.PGSSLROOTCERT, undefined);
  });

  it('connects pg with TLS as libpq require does, or without it when disabled', () => {
    assert.deepEqual(toPgClientConfig(connection).ssl, { rejectUnauthorized: false });
    assert.equal(toPgClientConfig({ ...connection, sslMode: 'disable' }).ssl, false);
    assert.equal(toPgClientConfig(connection, 'postgres').database, 'postgres');
  });
});
