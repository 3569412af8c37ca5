import type { InvocationContext } from '@azure/functions';
import type { BackupServices } from '../backupServices';
import type { Target } from '../config';
import { restoreFromBlob } from '../azure/backupRestore';
import { onTargetServer } from './restoreTypes';
import type { RestoreStepResult } from './restoreTypes';

export interface RestoreBackupInput {
  target: Target;
  /** The backup's blob name. */
  backup: string;
  database: string;
}

/**
 * Restores the backup into the (prepared) database with pg_restore, in one transaction. pg_restore
 * drops what an earlier run committed before it creates, so running it again ends in the same state.
 */
export function restoreBackup(services: BackupServices) {
  return (input: RestoreBackupInput, context: InvocationContext): Promise<RestoreStepResult> =>
    onTargetServer(
      services,
      input.target,
      (message) => message,
      async (connection) => {
        context.log(`restoring ${input.backup} into database ${input.database}`);
        await restoreFromBlob({
          tools: services.tools(),
          store: services.store,
          name: input.backup,
          connection,
          database: input.database,
        });
      },
    );
}
