import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startAzurite } from '../dev/azurite';
import { pgDumpCommand } from '../src/azure/postgresCommands';
import type { PgConnection } from '../src/azure/postgresConnection';
import { locatePgTools } from '../src/azure/postgresTools';
import type { PgTools } from '../src/azure/postgresTools';
import { startPostgres } from '../test/support/postgres';
import { tempDir } from '../test/support/testHost';
import { backupChildJobVariable } from './backupChild';
import type { BackupChildJob, BackupChildReport } from './backupChild';

const gib = 1024 ** 3;
const mib = 1024 ** 2;

/**
 * What a backup costs next to pg_dump alone, and what memory it needs. In one throwaway cluster and
 * one Azurite: a large database of at least 1 GiB, a small one of a quarter of that, and a tiny one.
 * Throughput compares the backup's upload (pg_dump -Fc → uploadStream → Azurite) with
 * `pg_dump -Fc > /dev/null` of the large database, each the best of five runs taken in turn. Memory is
 * the peak RSS of the process doing the backup (a child process per backup: upload, then read-back
 * verification), the highest of five backups of the small database and of five of the large one.
 *
 * Why three sizes: besides the upload's 16 MiB of buffers, the process holds the chunks it has already
 * passed on until V8 collects them, and V8 lets up to 64 MiB of such garbage build up before it does
 * (`kExternalAllocationSoftLimit` in V8's include/v8-internal.h). A dump smaller than that never
 * reaches the steady state, so the tiny database shows a lower peak; the small and the large one
 * compare the steady state, which must not grow with the database.
 */
export async function backupBenchmark(): Promise<Record<string, number>> {
  // The cluster is this benchmark's own, whatever DATABASE_URL says.
  delete process.env.DATABASE_URL;
  const postgres = await startPostgres();
  const storageDir = tempDir('bench-azurite');
  const azurite = await startAzurite({ location: storageDir });
  // Azurite stands in for Blob storage, which in Azure spends none of the function app's CPU. At the
  // lowest priority it takes what pg_dump leaves instead of competing with it for this machine's cores.
  if (azurite.pid !== undefined) setPriority(azurite.pid, 19);
  try {
    const url = new URL(postgres.url);
    const server = {
      host: url.hostname,
      port: Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
    const connection = (database: string): PgConnection => ({ ...server, database, sslMode: 'disable' });
    const largeBytes = await createEventsDatabase(connection('large'), gib);
    const smallBytes = await createEventsDatabase(connection('small'), gib / 4);
    const tinyBytes = await createTinyDatabase(connection('tiny'));
    const tools = locatePgTools({ binDir: undefined, searchPath: [] });
    let runs = 0;
    const backUp = (database: string): Promise<BackupChildReport> =>
      runBackupChild({
        connection: connection(database),
        tools,
        storage: azurite.connectionString,
        container: 'bench',
        name: `bench/${database}/${String(++runs)}.dump`,
      });

    const tiny = await backUp('tiny');
    const dumpSeconds: number[] = [];
    const small: BackupChildReport[] = [];
    const large: BackupChildReport[] = [];
    for (let round = 0; round < 5; round++) {
      dumpSeconds.push(await timeDumpToDevNull(tools, connection('large')));
      large.push(await backUp('large'));
      small.push(await backUp('small'));
    }
    const bestDump = Math.min(...dumpSeconds);
    const bestUpload = Math.min(...large.map((r) => r.uploadSeconds));
    const largeRss = Math.max(...large.map((r) => r.maxRssMb));
    const smallRss = Math.max(...small.map((r) => r.maxRssMb));
    if (![tiny, ...small, ...large].every((r) => r.verified))
      throw new Error('a benchmark backup failed verification');
    return {
      'backup.throughput_ratio': bestDump / bestUpload,
      'backup.peak_rss_tiny_mb': tiny.maxRssMb,
      'backup.peak_rss_small_mb': smallRss,
      'backup.peak_rss_large_mb': largeRss,
      'backup.peak_rss_large_vs_small': largeRss / smallRss,
      'backup.tiny_database_mib': tinyBytes / mib,
      'backup.tiny_dump_mib': tiny.sizeBytes / mib,
      'backup.small_database_mib': smallBytes / mib,
      'backup.small_dump_mib': (small[0]?.sizeBytes ?? 0) / mib,
      'backup.large_database_gib': largeBytes / gib,
      'backup.large_dump_mib': (large[0]?.sizeBytes ?? 0) / mib,
      'backup.pg_dump_database_mib_per_s': largeBytes / mib / bestDump,
      'backup.backup_database_mib_per_s': largeBytes / mib / bestUpload,
    };
  } finally {
    await azurite.stop();
    await postgres.stop();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

/**
 * At least `minBytes` of rows whose text (hex digests) compresses about as well as ordinary data does,
 * made by two INSERT … SELECT at a time, one per core. Unlogged: pg_dump dumps its data all the same,
 * and the rows go in without writing WAL. Returns the database's size.
 */
async function createEventsDatabase(connection: PgConnection, minBytes: number): Promise<number> {
  await query(connection, 'postgres', `CREATE DATABASE ${connection.database}`);
  await query(
    connection,
    connection.database,
    'CREATE UNLOGGED TABLE events (id bigint, kind int, payload text)',
  );
  // A row takes about 170 bytes on disk; each round of two parts adds about half of minBytes.
  const rowsPerPart = Math.ceil(minBytes / 4 / 170);
  const insert = (part: number): Promise<unknown> =>
    query(
      connection,
      connection.database,
      `INSERT INTO events
       SELECT g, g % 17, md5(g::text) || md5((g * 31)::text) || md5((g * 131)::text) || md5((g * 7919)::text)
       FROM generate_series(${part * rowsPerPart + 1}::bigint, ${(part + 1) * rowsPerPart}) g`,
    );
  let part = 0;
  let size = 0;
  while (size < minBytes) {
    await Promise.all([insert(part), insert(part + 1)]);
    part += 2;
    size = await databaseSize(connection);
  }
  return size;
}

/** A table with a key, a million short rows: a dump (about 21 MiB) under V8's garbage allowance. */
async function createTinyDatabase(connection: PgConnection): Promise<number> {
  await query(connection, 'postgres', `CREATE DATABASE ${connection.database}`);
  await query(
    connection,
    connection.database,
    `CREATE TABLE notes (id serial PRIMARY KEY, body text);
     INSERT INTO notes (body) SELECT md5(g::text) FROM generate_series(1, 1000000) g`,
  );
  return databaseSize(connection);
}

async function databaseSize(connection: PgConnection): Promise<number> {
  const [row] = (await query(
    connection,
    connection.database,
    'SELECT pg_database_size(current_database())::bigint AS size',
  )) as { size: string }[];
  return Number(row?.size ?? 0);
}

async function query(connection: PgConnection, database: string, sql: string): Promise<unknown[]> {
  const client = new Client({ ...connection, database, ssl: false });
  await client.connect();
  try {
    return (await client.query(sql)).rows as unknown[];
  } finally {
    await client.end();
  }
}

/** Seconds `pg_dump -Fc` of the database takes with its output going to /dev/null. */
async function timeDumpToDevNull(tools: PgTools, connection: PgConnection): Promise<number> {
  const command = pgDumpCommand(connection);
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(tools.pgDump, command.args, {
        env: command.env,
        stdio: ['ignore', devNull, 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`pg_dump exited with ${String(code)}`)),
      );
    });
  } finally {
    closeSync(devNull);
  }
  return (performance.now() - started) / 1000;
}

/** Runs one backup in a child process and reads its report; the job travels in its environment. */
function runBackupChild(job: BackupChildJob): Promise<BackupChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'backupChild.js')], {
      env: { [backupChildJobVariable]: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as BackupChildReport);
      else reject(new Error(`the backup child process exited with ${String(code)}`));
    });
  });
}
