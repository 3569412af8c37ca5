import type { BackupServices } from '../backupServices';
import { redactedMessage } from '../azure/postgresSecrets';
import { isBackupOf } from '../domain/backupName';
import { decideRestore } from '../domain/backupRestorePlan';
import type { RestoreDecision } from '../domain/backupRestorePlan';
import type { RestoreAsked } from './restoreTypes';

/** Whether the restore may go ahead (creating the database, or replacing it), or why not. */
export type RestoreCheck = { ok: true; replace: boolean } | { ok: false; reason: string };

/**
 * Looks at the backup and the database a restore asks for and decides (see `decideRestore`). The
 * HTTP trigger asks first, to answer 4xx at once; the restore asks again, as things may have changed.
 * Throws when storage or the server cannot be reached; the adapters' errors carry no credentials.
 */
export async function assessRestore(services: BackupServices, asked: RestoreAsked): Promise<RestoreDecision> {
  const database = asked.target.database;
  if (database === undefined) throw new Error(`The target ${asked.target.name} has no database.`);
  // A name outside the target's backups is not looked up at all: it is not this target's backup.
  const backup = isBackupOf(asked.target.name, asked.backup)
    ? await services.store.get(asked.backup)
    : undefined;
  const connection = await services.credentials.connectionTo(database);
  const databaseExists = await services.server.databaseExists(connection, asked.database);
  return decideRestore({
    backup,
    backupName: asked.backup,
    database: asked.database,
    databaseExists,
    overwrite: asked.overwrite,
  });
}

/** The restore's first step: whether it may go ahead, as a result rather than an error. */
export function checkRestore(services: BackupServices) {
  return async (asked: RestoreAsked): Promise<RestoreCheck> => {
    try {
      const decision = await assessRestore(services, asked);
      return decision.action === 'refuse'
        ? { ok: false, reason: decision.reason }
        : { ok: true, replace: decision.action === 'replace' };
    } catch (err) {
      return { ok: false, reason: `the restore could not be checked: ${redactedMessage(err, [])}` };
    }
  };
}
