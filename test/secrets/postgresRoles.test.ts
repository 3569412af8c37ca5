import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, connect } from 'node:net';
import type { Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { freePort } from '../../dev/freePort';
import type { PgConnection } from '../../src/azure/postgresConnection';
import { hashPassword } from '../../src/azure/postgresPasswordHash';
import { PgPostgresRoles } from '../../src/azure/postgresRoles';
import { PostgresToolError } from '../../src/azure/postgresToolError';
import { startPostgres } from '../support/postgres';
import { waitFor } from '../support/testHost';
import type { RunningPostgres } from '../support/postgres';

/** A TCP relay to the server that keeps every byte the client sent: what left Shepherd, in the clear. */
async function recordingRelay(
  host: string,
  port: number,
): Promise<{ port: number; sent: () => string; close: () => Promise<void> }> {
  const chunks: Buffer[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  const relayPort = await freePort();
  await new Promise<void>((resolve) => server.listen(relayPort, '127.0.0.1', resolve));
  return {
    port: relayPort,
    sent: () => Buffer.concat(chunks).toString('latin1'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('PostgreSQL roles for rotation, against a real cluster', () => {
  const roles = new PgPostgresRoles();
  // Unique names, so a shared DATABASE_URL server is left as it was found.
  const suffix = randomBytes(4).toString('hex');
  const name = (base: string): string => `${base}_${suffix}`;
  const [blue, green, outsider, locked, odd] = [
    'app_blue',
    'app_green',
    'app_outsider',
    'app_locked',
    'app "odd" role',
  ].map(name) as [string, string, string, string, string];
  const appdb = name('appdb');
  const adminRole = name('shepherd_admin');
  const adminPassword = `admin-${randomBytes(12).toString('hex')}`;
  let postgres: RunningPostgres;
  let superuser: Client;
  let host: string;
  let port: number;
  let admin: PgConnection;
  const opened: Client[] = [];

  const as = (user: string, password: string, database = appdb): PgConnection => ({
    host,
    port,
    user,
    password,
    database,
    sslMode: 'disable',
  });

  /** A consumer's session as `user`, kept open until the suite ends. */
  async function session(user: string, password: string, applicationName: string): Promise<Client> {
    const client = new Client({
      host,
      port,
      user,
      password,
      database: appdb,
      application_name: applicationName,
    });
    await client.connect();
    opened.push(client);
    return client;
  }

  async function storedPassword(role: string): Promise<string> {
    const { rows } = await superuser.query<{ rolpassword: string }>(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [role],
    );
    return rows[0]?.rolpassword ?? '';
  }

  before(async () => {
    postgres = await startPostgres();
    const url = new URL(postgres.url);
    host = url.hostname;
    port = Number(url.port);
    superuser = new Client({ connectionString: postgres.url });
    await superuser.connect();
    const q = (sql: string): Promise<unknown> => superuser.query(sql);
    const id = (role: string): string => superuser.escapeIdentifier(role);
    // Like Azure Database for PostgreSQL's server admin: CREATEROLE, not a superuser. It creates the
    // app's roles, which on PostgreSQL 16 and newer gives it the ADMIN OPTION that ALTER ROLE needs.
    await q(
      `CREATE ROLE ${id(adminRole)} LOGIN CREATEROLE PASSWORD ${superuser.escapeLiteral(adminPassword)}`,
    );
    await q(`CREATE DATABASE ${id(appdb)}`);
    await q(`REVOKE CONNECT ON DATABASE ${id(appdb)} FROM PUBLIC`);
    const creator = new Client({
      host,
      port,
      user: adminRole,
      password: adminPassword,
      database: 'postgres',
    });
    await creator.connect();
    try {
      for (const role of [blue, green, odd, outsider])
        await creator.query(`CREATE ROLE ${id(role)} LOGIN PASSWORD 'initial-password'`);
      await creator.query(
        `CREATE ROLE ${id(locked)} NOLOGIN PASSWORD 'locked-password' VALID UNTIL '2030-01-01 00:00:00+00'`,
      );
    } finally {
      await creator.end();
    }
    for (const role of [blue, green, odd]) await q(`GRANT CONNECT ON DATABASE ${id(appdb)} TO ${id(role)}`);
    admin = as(adminRole, adminPassword, 'postgres');
  });

  after(async () => {
    await Promise.all(opened.map((client) => client.end().catch(() => undefined)));
    const id = (role: string): string => superuser.escapeIdentifier(role);
    await superuser.query(`DROP DATABASE IF EXISTS ${id(appdb)} WITH (FORCE)`);
    for (const role of [blue, green, outsider, locked, odd, adminRole])
      await superuser.query(`DROP ROLE IF EXISTS ${id(role)}`);
    await superuser.end();
    await postgres.stop();
  });

  describe('setting a password', () => {
    it('makes the new password work and the old one fail', async () => {
      await roles.setPassword(admin, green, 'green-password-1');
      assert.deepEqual(await roles.proveLogin(as(green, 'green-password-1')), { ok: true });
      assert.equal((await roles.proveLogin(as(green, 'initial-password'))).ok, false);
    });

    it('keeps a session open on the role working after its password changes, as the rotation relies on', async () => {
      await roles.setPassword(admin, blue, 'blue-password-1');
      const consumer = await session(blue, 'blue-password-1', 'contoso-web');
      await roles.setPassword(admin, blue, 'blue-password-2');
      const { rows } = await consumer.query<{ who: string }>('SELECT current_user AS who');
      assert.deepEqual(rows, [{ who: blue }], 'the open session still runs queries');
      assert.equal(
        (await roles.proveLogin(as(blue, 'blue-password-1'))).ok,
        false,
        'a new session needs the new password',
      );
      assert.deepEqual(await roles.proveLogin(as(blue, 'blue-password-2')), { ok: true });
    });

    it('sends only a SCRAM-SHA-256 hash, never the cleartext, which the server stores as it is', async () => {
      const relay = await recordingRelay(host, port);
      try {
        await roles.setPassword({ ...admin, port: relay.port }, green, 'green-cleartext-2');
        const sent = relay.sent();
        assert.match(sent, /ALTER ROLE .* PASSWORD 'SCRAM-SHA-256\$4096:/);
        assert.ok(!sent.includes('green-cleartext-2'), 'the cleartext never left');
      } finally {
        await relay.close();
      }
      const stored = await storedPassword(green);
      assert.match(stored, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
      assert.deepEqual(await roles.proveLogin(as(green, 'green-cleartext-2')), { ok: true });
    });

    it('hashes exactly as PostgreSQL does, given its salt and iteration count', async () => {
      await superuser.query(
        `ALTER ROLE ${superuser.escapeIdentifier(outsider)} PASSWORD 'hashed-by-the-server'`,
      );
      const stored = await storedPassword(outsider);
      const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored) ?? [];
      assert.equal(
        hashPassword('hashed-by-the-server', outsider, 'scram-sha-256', {
          iterations: Number(iterations),
          salt: Buffer.from(salt ?? '', 'base64'),
        }),
        stored,
      );
    });

    it("follows the server's password_encryption, storing an MD5 hash where it says md5", async () => {
      const id = superuser.escapeIdentifier(adminRole);
      await superuser.query(`ALTER ROLE ${id} SET password_encryption = 'md5'`);
      try {
        await roles.setPassword(admin, outsider, 'outsider-md5');
        assert.equal(await storedPassword(outsider), hashPassword('outsider-md5', outsider, 'md5'));
        assert.match(await storedPassword(outsider), /^md5[0-9a-f]{32}$/);
      } finally {
        await superuser.query(`ALTER ROLE ${id} RESET password_encryption`);
      }
    });

    it('quotes the role name, whatever characters it has', async () => {
      await roles.setPassword(admin, odd, 'odd-password-1');
      assert.deepEqual(await roles.proveLogin(as(odd, 'odd-password-1')), { ok: true });
    });

    it('names the role and the reason when the role does not exist, without the password or its hash', async () => {
      await assert.rejects(roles.setPassword(admin, name('nobody'), 'never-set-password'), (err: Error) => {
        assert.ok(err instanceof PostgresToolError);
        assert.equal(
          err.message,
          `set the password of role ${name('nobody')} failed: role "${name('nobody')}" does not exist`,
        );
        assert.equal(err.code, '42704');
        assert.ok(
          ![err.message, String(err.stack)].some(
            (text) => text.includes('never-set-password') || text.includes('SCRAM'),
          ),
        );
        return true;
      });
    });

    it('refuses a password that is not printable ASCII before anything is sent', async () => {
      const relay = await recordingRelay(host, port);
      try {
        await assert.rejects(roles.setPassword({ ...admin, port: relay.port }, green, 'pässwörd\u00a0x'), {
          name: 'PostgresToolError',
          message: `set the password of role ${green} failed: the password must be printable ASCII characters, and at least one`,
        });
        assert.ok(!relay.sent().includes('ALTER ROLE'));
      } finally {
        await relay.close();
      }
      assert.deepEqual(await roles.proveLogin(as(green, 'green-cleartext-2')), { ok: true }, 'unchanged');
    });
  });

  describe('proving a credential signs in', () => {
    const refusals: { rule: string; credential: () => PgConnection; code: string; reason: RegExp }[] = [
      {
        rule: 'a wrong password',
        credential: () => as(green, 'wrong-password-hunter22'),
        code: '28P01',
        reason: /^password authentication failed for user "app_green_[0-9a-f]+"$/,
      },
      {
        rule: 'a role that may not log in',
        credential: () => as(locked, 'locked-password'),
        code: '28000',
        reason: /^role "app_locked_[0-9a-f]+" is not permitted to log in$/,
      },
      {
        rule: 'a database that does not exist',
        credential: () => ({ ...as(green, 'green-cleartext-2'), database: name('nodb') }),
        code: '3D000',
        reason: /^database "nodb_[0-9a-f]+" does not exist$/,
      },
    ];
    for (const r of refusals) {
      it(`says why ${r.rule} cannot sign in, without the password`, async () => {
        const proof = await roles.proveLogin(r.credential());
        if (proof.ok) assert.fail('signed in');
        assert.equal(proof.code, r.code);
        assert.match(proof.reason, r.reason);
        assert.ok(!proof.reason.includes(r.credential().password));
      });
    }

    it('says a role with the right password but no CONNECT on the database may not connect', async () => {
      await roles.setPassword(admin, outsider, 'outsider-password-3');
      assert.deepEqual(await roles.proveLogin(as(outsider, 'outsider-password-3')), {
        ok: false,
        code: '42501',
        reason: `permission denied for database "${appdb}"`,
      });
      assert.deepEqual(await roles.proveLogin(as(outsider, 'outsider-password-3', 'postgres')), { ok: true });
    });

    it('says when nothing answers at the address', async () => {
      const proof = await roles.proveLogin({ ...as(green, 'green-cleartext-2'), port: await freePort() });
      assert.deepEqual(proof.ok ? undefined : proof.code, 'ECONNREFUSED');
    });
  });

  describe('sessions per role', () => {
    it("lists each consumer session on the database by role and application, not Shepherd's own or another database's", async () => {
      await roles.setPassword(admin, green, 'green-password-4');
      await roles.setPassword(admin, outsider, 'outsider-password-4');
      await session(green, 'green-password-4', 'contoso-web');
      await session(green, 'green-password-4', 'contoso-worker');
      const elsewhere = new Client({
        host,
        port,
        user: outsider,
        password: 'outsider-password-4',
        database: 'postgres',
      });
      await elsewhere.connect();
      opened.push(elsewhere);
      const sessions = await roles.sessions(admin, appdb);
      const ofGreen = sessions.filter((s) => s.role === green).map((s) => s.applicationName);
      assert.deepEqual(ofGreen.sort(), ['contoso-web', 'contoso-worker']);
      assert.ok(
        sessions.some((s) => s.role === blue && s.applicationName === 'contoso-web'),
        'the session kept open earlier',
      );
      assert.ok(!sessions.some((s) => s.role === outsider || s.role === adminRole));
    });

    it("shows addresses and start times only once Shepherd's role may read all statistics", async () => {
      const hidden = (await roles.sessions(admin, appdb)).find((s) => s.role === green);
      assert.equal(hidden?.clientAddress, undefined);
      assert.equal(hidden?.backendStart, undefined);
      const id = superuser.escapeIdentifier(adminRole);
      await superuser.query(`GRANT pg_read_all_stats TO ${id}`);
      try {
        const shown = (await roles.sessions(admin, appdb)).find((s) => s.role === green);
        assert.equal(shown?.clientAddress, '127.0.0.1');
        assert.ok(shown.backendStart instanceof Date);
        assert.ok(shown.backendStart.getTime() <= Date.now());
      } finally {
        await superuser.query(`REVOKE pg_read_all_stats FROM ${id}`);
      }
    });

    it('sees a consumer leave the role', async () => {
      const leaving = await session(blue, 'blue-password-2', 'contoso-leaving');
      assert.ok((await roles.sessions(admin, appdb)).some((s) => s.applicationName === 'contoso-leaving'));
      await leaving.end();
      // The server ends the backend just after the client hangs up.
      await waitFor('the session to end', async () =>
        (await roles.sessions(admin, appdb)).some((s) => s.applicationName === 'contoso-leaving')
          ? undefined
          : true,
      );
    });
  });

  describe('describing a role', () => {
    it('says a role can log in and connect, with no expiry', async () => {
      assert.deepEqual(await roles.describeRole(admin, green, appdb), {
        canLogin: true,
        validUntil: undefined,
        mayConnect: true,
        connectionLimit: -1,
      });
    });

    it('says a role may not log in, and until when its password is valid', async () => {
      assert.deepEqual(await roles.describeRole(admin, locked, appdb), {
        canLogin: false,
        validUntil: new Date('2030-01-01T00:00:00Z'),
        mayConnect: false,
        connectionLimit: -1,
      });
    });

    it('says a role may not connect to the database', async () => {
      assert.equal((await roles.describeRole(admin, outsider, appdb))?.mayConnect, false);
    });

    it('answers undefined for a role that does not exist', async () => {
      assert.equal(await roles.describeRole(admin, name('nobody'), appdb), undefined);
    });
  });
});
