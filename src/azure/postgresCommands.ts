import { plainDatabaseName } from '../domain/backupName';
import type { PgConnection } from './postgresConnection';
import { toPgEnvironment } from './postgresConnection';

/** How to run one PostgreSQL client program: its arguments, and the whole environment it gets. */
export interface PgCommand {
  args: string[];
  env: Record<string, string>;
}

/** A dump waiting this long behind another session's lock fails rather than holding the release up. */
const lockWaitTimeoutMs = 120_000;

/**
 * `pg_dump` of the connection's database in the custom format, written to stdout. The connection,
 * database and credential go in the environment; the arguments say only how to dump.
 */
export function pgDumpCommand(connection: PgConnection): PgCommand {
  return {
    args: ['--format=custom', '--no-password', `--lock-wait-timeout=${lockWaitTimeoutMs}`],
    env: toPgEnvironment(connection),
  };
}

/** `pg_restore --list` of the archive on stdin: reads its table of contents, connects nowhere. */
export function pgRestoreListCommand(): PgCommand {
  return { args: ['--list'], env: { LC_MESSAGES: 'C' } };
}

/**
 * `pg_restore` of the archive on stdin into `database`, on the connection's server. One transaction,
 * stopping at the first error, so a failed restore leaves the database as it was; `--clean --if-exists`
 * drops what a previous run committed, so running it again ends in the same state. `--dbname` is
 * needed to restore rather than print SQL; the name is a plain identifier, never a connection string.
 */
export function pgRestoreCommand(connection: PgConnection, database: string): PgCommand {
  if (!plainDatabaseName.test(database))
    throw new RangeError('The database to restore into must be a plain name.');
  return {
    args: [
      `--dbname=${database}`,
      '--single-transaction',
      '--exit-on-error',
      '--clean',
      '--if-exists',
      '--no-password',
    ],
    env: toPgEnvironment({ ...connection, database }),
  };
}
