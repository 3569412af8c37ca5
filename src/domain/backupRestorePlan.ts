import type { BackupRecord } from './backupRecord';
import { isUsableBackup } from './backupRecord';

/** What a restore request comes to once the backup and the database have been looked at. */
export type RestoreDecision =
  | { action: 'create' }
  | { action: 'replace' }
  | { action: 'refuse'; problem: 'backupNotFound' | 'backupNotUsable' | 'databaseExists'; reason: string };

export interface RestoreFacts {
  /** The backup asked for; undefined when there is no such blob. */
  backup: BackupRecord | undefined;
  backupName: string;
  database: string;
  databaseExists: boolean;
  overwrite: boolean;
}

/**
 * Whether a restore may go ahead, and how: into a new database, or replacing an existing one, which
 * only an explicit `overwrite` allows. Only a verified backup is restored.
 */
export function decideRestore(facts: RestoreFacts): RestoreDecision {
  const { backup } = facts;
  if (backup === undefined)
    return { action: 'refuse', problem: 'backupNotFound', reason: `there is no backup ${facts.backupName}` };
  if (!isUsableBackup(backup)) {
    const state = backup.status === null ? 'was never verified' : `is ${backup.status}`;
    return {
      action: 'refuse',
      problem: 'backupNotUsable',
      reason: `the backup ${backup.name} ${state}; only a verified backup is restored`,
    };
  }
  if (!facts.databaseExists) return { action: 'create' };
  if (facts.overwrite) return { action: 'replace' };
  return {
    action: 'refuse',
    problem: 'databaseExists',
    reason: `the database ${facts.database} exists; to replace it, ask again with "overwrite": true`,
  };
}
