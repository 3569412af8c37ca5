import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { createCa, createServerCertificate } from '../../dev/sandbox/certificates';
import { pgDumpCommand } from '../../src/azure/postgresCommands';
import type { PgConnection } from '../../src/azure/postgresConnection';
import { toPgClientConfig } from '../../src/azure/postgresConnection';
import { PgPostgresServer } from '../../src/azure/postgresServer';
import { locatePgTools } from '../../src/azure/postgresTools';
import type { RunningPostgres } from '../support/postgres';
import { startPostgres } from '../support/postgres';
import { tempDir } from '../support/testHost';

/** Runs pg_dump as a backup does and says how it ended, with what it printed on stderr. */
function dumpTo(connection: PgConnection): Promise<{ code: number | null; stderr: string }> {
  const tools = locatePgTools({ binDir: undefined, searchPath: [] });
  const command = pgDumpCommand(connection);
  const child = spawn(tools.pgDump, command.args, { env: command.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

/** Whether `pg`, connected as Shepherd connects, talks to the server over TLS. */
async function pgSessionUsesTls(connection: PgConnection): Promise<boolean> {
  const client = new Client(toPgClientConfig(connection));
  await client.connect();
  try {
    const { rows } = await client.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return rows[0]?.ssl === true;
  } finally {
    await client.end();
  }
}

describe('TLS to PostgreSQL, for pg and pg_dump alike', () => {
  const server = new PgPostgresServer();
  let postgres: RunningPostgres;
  let dir: string;
  let trustedCa: string;
  let otherCa: string;
  let password: string;
  let port: number;

  before(async () => {
    dir = tempDir('pg-tls');
    const ca = createCa('Shepherd test database CA');
    trustedCa = join(dir, 'trusted-ca.pem');
    writeFileSync(trustedCa, ca.certPem);
    otherCa = join(dir, 'other-ca.pem');
    writeFileSync(otherCa, createCa('Some other CA').certPem);
    // The certificate names localhost only: connecting by IP address is connecting to another name.
    postgres = await startPostgres({
      tls: createServerCertificate(ca.certPem, ca.keyPem, { dns: ['localhost'], ips: [] }),
    });
    const url = new URL(postgres.url);
    password = decodeURIComponent(url.password);
    port = Number(url.port);
  });

  after(async () => {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function connection(host: string, sslMode: PgConnection['sslMode'], sslRootCert?: string): PgConnection {
    return {
      host,
      port,
      user: 'postgres',
      password,
      database: 'postgres',
      sslMode,
      ...(sslRootCert === undefined ? {} : { sslRootCert }),
    };
  }

  it('connects with verify-full, encrypted, to a server whose certificate names the host and comes from a trusted CA', async () => {
    const verified = connection('localhost', 'verify-full', trustedCa);
    assert.ok((await server.version(verified)).number >= 100_000);
    assert.equal(await pgSessionUsesTls(verified), true);
    const dump = await dumpTo(verified);
    assert.equal(dump.code, 0, dump.stderr);
  });

  it('refuses, with verify-full, a server whose certificate no trusted CA signed', async () => {
    const untrusted = connection('localhost', 'verify-full', otherCa);
    await assert.rejects(server.version(untrusted), (err: Error) => {
      assert.match(err.message, /certificate/i);
      assert.ok(!err.message.includes(password), 'no password in the reason');
      return true;
    });
    const dump = await dumpTo(untrusted);
    assert.notEqual(dump.code, 0);
    assert.match(dump.stderr, /certificate verify failed/);
  });

  it('refuses, with verify-full, a server whose certificate names another host', async () => {
    const byAddress = connection('127.0.0.1', 'verify-full', trustedCa);
    await assert.rejects(server.version(byAddress), /127\.0\.0\.1/);
    const dump = await dumpTo(byAddress);
    assert.notEqual(dump.code, 0);
    assert.match(dump.stderr, /does not match host name "127\.0\.0\.1"/);
  });

  it('encrypts without checking the certificate with require, as libpq does', async () => {
    const unchecked = connection('127.0.0.1', 'require', otherCa);
    assert.equal(await pgSessionUsesTls(unchecked), true);
    const dump = await dumpTo(unchecked);
    assert.equal(dump.code, 0, dump.stderr);
  });
});
