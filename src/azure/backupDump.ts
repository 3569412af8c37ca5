import type { BackupRecord } from '../domain/backupRecord';
import { BackupGate } from './backupGate';
import type { BackupDigest } from './backupGate';
import type { BackupStore } from './backupStore';
import { pgDumpCommand } from './postgresCommands';
import type { PgConnection } from './postgresConnection';
import { startPgProgram } from './postgresProgram';
import type { PgTools } from './postgresTools';

/**
 * Streams `pg_dump --format=custom` of the connection's database straight into the blob
 * `record.name`: no temporary file, and no more of the dump in memory than the upload's buffers. The
 * blob is committed only if pg_dump exits 0; otherwise the upload fails and pg_dump's own reason is
 * thrown (a PostgresToolError, without credentials). If the upload fails first, pg_dump is stopped and
 * the upload's error is thrown.
 */
export async function dumpToBlob(run: {
  tools: PgTools;
  connection: PgConnection;
  store: BackupStore;
  record: BackupRecord;
}): Promise<BackupDigest> {
  const { connection } = run;
  const dump = startPgProgram(run.tools.pgDump, pgDumpCommand(connection), {
    operation: `pg_dump of ${connection.database}`,
    stdin: 'ignore',
    stdout: 'pipe',
    secrets: [connection.password],
  });
  const gate = new BackupGate(dump.exited);
  const output = dump.stdout;
  if (!output) throw new Error('pg_dump was started without an output pipe.');
  output.once('error', (err) => gate.destroy(err));
  output.pipe(gate);
  try {
    await run.store.upload(run.record, gate);
  } catch (err) {
    dump.stop();
    gate.destroy();
    const dumpFailure = await dump.exited.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    throw dumpFailure !== undefined && !dump.stopped ? dumpFailure : err;
  }
  return gate.digest();
}
