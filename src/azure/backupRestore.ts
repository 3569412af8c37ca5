import { pipeline } from 'node:stream/promises';
import { toAzureOperationError } from './azureOperationError';
import type { BackupStore } from './backupStore';
import { pgRestoreCommand } from './postgresCommands';
import type { PgConnection } from './postgresConnection';
import { startPgProgram } from './postgresProgram';
import type { PgTools } from './postgresTools';

/**
 * Restores the backup `name` into `database` on the connection's server, streaming the blob into
 * `pg_restore`. pg_restore runs in one transaction, so a failure (its reason thrown as a
 * PostgresToolError, without credentials) leaves the database as it was.
 */
export async function restoreFromBlob(run: {
  tools: PgTools;
  store: BackupStore;
  name: string;
  connection: PgConnection;
  database: string;
}): Promise<void> {
  const body = await run.store.open(run.name);
  const restore = startPgProgram(run.tools.pgRestore, pgRestoreCommand(run.connection, run.database), {
    operation: `pg_restore of ${run.name} into ${run.database}`,
    stdin: 'pipe',
    stdout: 'ignore',
    secrets: [run.connection.password],
  });
  const stdin = restore.stdin;
  if (!stdin) throw new Error('pg_restore was started without an input pipe.');
  const [download, restored] = await Promise.allSettled([pipeline(body, stdin), restore.exited]);
  // pg_restore's exit says whether the data went in; a download that broke off makes it fail too.
  if (restored.status === 'fulfilled') return;
  if (download.status === 'rejected' && !isBrokenPipe(download.reason))
    throw toAzureOperationError(`read the backup ${run.name}`, download.reason);
  throw restored.reason;
}

function isBrokenPipe(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'EPIPE';
}
