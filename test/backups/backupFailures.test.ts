import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { takeBackup } from '../../src/activities/takeBackup';
import type { BackupStore } from '../../src/azure/backupStore';
import type { TakeBackupResult } from '../../src/activities/takeBackup';
import { isUsableBackup } from '../../src/domain/backupRecord';
import { startPostgres } from '../support/postgres';
import { fakePgDump } from './fakePgTools';
import { createShopDatabase, recordingContext } from './shopDatabase';
import { accessOf, committedBlobs, sql, startTestbed, targetWith } from './testbed';
import type { Testbed } from './testbed';

describe('a backup that cannot be completed', () => {
  let bed: Testbed;

  before(async () => {
    bed = await startTestbed();
    await createShopDatabase(bed.server, 'shop');
  });
  after(() => bed.stop());

  /** Runs the backup activity into its own container, so each case sees only its own blobs. */
  async function backUp(
    container: string,
    options: {
      database?: Record<string, unknown>;
      password?: string;
      tools?: ReturnType<typeof fakePgDump>;
    } = {},
  ): Promise<{ result: TakeBackupResult; lines: string[] }> {
    const target = targetWith(bed.server, { name: 'shop', ...options.database });
    const services = bed.services({ container, ...options });
    const context = recordingContext('takeBackup');
    const result = await takeBackup(services)(
      { target, releaseId: 'release:web:ff00', image: 'img' },
      context,
    );
    return { result, lines: context.lines };
  }

  async function assertNoBackupIn(container: string): Promise<void> {
    assert.deepEqual(await committedBlobs(bed.blobs, container), [], 'no committed blob at all');
    const listed = await bed.services({ container }).store.list('web/');
    assert.deepEqual(listed.filter(isUsableBackup), []);
  }

  it('fails with a wrong password, naming the cause but never a password, and writes nothing', async () => {
    const wrong = 'Wr0ng-Pa55word-x9';
    const { result, lines } = await backUp('wrong-password', { password: wrong });
    assert.ok(!result.ok);
    assert.match(result.reason, /password authentication failed for user "postgres"/);
    for (const text of [result.reason, ...lines]) {
      assert.ok(!text.includes(wrong));
      assert.ok(!text.includes(bed.server.password));
    }
    await assertNoBackupIn('wrong-password');
  });

  it('fails for a database that does not exist, and writes nothing', async () => {
    const { result } = await backUp('missing-database', { database: { name: 'no_such_db' } });
    assert.ok(!result.ok);
    assert.match(result.reason, /database "no_such_db" does not exist/);
    await assertNoBackupIn('missing-database');
  });

  it('refuses a pg_dump older than the server before anything is dumped or written', async () => {
    const tools = fakePgDump(bed.tools, '/usr/bin/head -c 1000 /dev/zero', '9.6.24');
    const { result } = await backUp('old-pg-dump', { tools });
    assert.ok(!result.ok);
    assert.match(
      result.reason,
      /^pg_dump 9\.6\.24 cannot dump a PostgreSQL \d+\.\d+ server: install the PostgreSQL \d+ client programs \(or newer\) and point SHEPHERD_PG_BIN_DIR at them$/,
    );
    assert.ok(!existsSync(join(tools.dir, 'dumped')), 'pg_dump was only asked its version');
    await assertNoBackupIn('old-pg-dump');
  });

  it('commits nothing when pg_dump fails after writing several blocks, and keeps secrets out of its stderr', async () => {
    const tools = fakePgDump(
      bed.tools,
      [
        '/usr/bin/head -c 12000000 /dev/urandom',
        'echo "pg_dump: error: lost the connection (password=$PGPASSWORD)" >&2',
        'echo "pg_dump: detail: tried postgres://postgres:$PGPASSWORD@somewhere/shop" >&2',
        'exit 1',
      ].join('\n'),
    );
    const { result } = await backUp('dump-fails-late', { tools });
    assert.ok(!result.ok);
    assert.match(result.reason, /pg_dump of shop failed: pg_dump: error: lost the connection \(password=…\)/);
    assert.match(result.reason, /exit code 1/);
    assert.ok(!result.reason.includes(bed.server.password));
    await assertNoBackupIn('dump-fails-late');
  });

  it('keeps a dump that pg_restore cannot read as a blob marked failed, never as a usable backup', async () => {
    const tools = fakePgDump(bed.tools, 'echo "this is not a custom-format archive"; exit 0');
    const { result } = await backUp('unreadable-dump', { tools });
    assert.ok(!result.ok);
    assert.match(
      result.reason,
      /failed verification: pg_restore --list failed: .*input file does not appear to be a valid archive/,
    );
    const [record, ...others] = await bed.services({ container: 'unreadable-dump' }).store.list('web/');
    assert.ok(record);
    assert.equal(others.length, 0);
    assert.equal(record.status, 'verificationFailed');
    assert.match(record.reason ?? '', /valid archive/);
    assert.equal(isUsableBackup(record), false);
  });

  it('commits nothing when the server stops in the middle of the dump', async () => {
    // A cluster of its own, to stop: DATABASE_URL's server, if one is given, must not be stopped.
    const given = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    const doomed = await startPostgres().finally(() => {
      if (given !== undefined) process.env.DATABASE_URL = given;
    });
    const server = accessOf(doomed.url);
    try {
      await sql(server, 'postgres', 'CREATE DATABASE big');
      // About 40 MB of rows, far more than the pipe and socket buffers that hold a stalled dump.
      await sql(
        server,
        'big',
        `CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text) AS payload
         FROM generate_series(1, 300000) g`,
      );
      const target = targetWith(server, { name: 'big', user: server.user });
      const services = bed.services({ container: 'server-stops', password: server.password });
      // The upload starts reading only once the server is down: until then pg_dump's output backs up,
      // so its COPY cannot finish before the server stops, however fast or loaded the machine is.
      let serverDown = (): void => undefined;
      const stopped = new Promise<void>((resolve) => (serverDown = resolve));
      const store: BackupStore = {
        ...services.store,
        upload: async (record, body) => {
          await stopped;
          return services.store.upload(record, body);
        },
      };
      const backup = takeBackup({ ...services, store })(
        { target, releaseId: null, image: null },
        recordingContext('takeBackup'),
      );

      const progress = { settled: false };
      void backup.finally(() => (progress.settled = true));
      // pg_dump's COPY of the table, active in pg_stat_activity, says the dump is under way.
      const watcher = new Client({ ...server, database: 'postgres' });
      await watcher.connect();
      let copying = false;
      while (!copying && !progress.settled) {
        const { rowCount } = await watcher.query(
          `SELECT 1 FROM pg_stat_activity
           WHERE datname = 'big' AND state = 'active' AND query LIKE 'COPY public.big %'`,
        );
        copying = (rowCount ?? 0) > 0;
      }
      await watcher.end();
      if (!copying) assert.fail(`the dump ended before its COPY was seen: ${JSON.stringify(await backup)}`);
      await doomed.stop();
      await assert.rejects(sql(server, 'postgres', 'SELECT 1'), 'the server is down');
      serverDown();

      const result = await backup;
      assert.ok(!result.ok);
      assert.match(
        result.reason,
        /pg_dump of big failed: .*(terminating connection|server closed the connection)/,
      );
      assert.ok(!result.reason.includes(server.password));
      await assertNoBackupIn('server-stops');
    } finally {
      await doomed.stop();
    }
  });
});
