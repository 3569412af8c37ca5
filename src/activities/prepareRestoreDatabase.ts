import type { InvocationContext } from '@azure/functions';
import type { BackupServices } from '../backupServices';
import type { Target } from '../config';
import { onTargetServer } from './restoreTypes';
import type { RestoreStepResult } from './restoreTypes';

export interface PrepareRestoreDatabaseInput {
  target: Target;
  database: string;
  /** Drop the existing database first: only when the restore was asked with `overwrite`. */
  replace: boolean;
  /** Who asked, for the record a replaced database leaves in the log. */
  requestedBy: string;
}

/**
 * Makes the empty database a backup is restored into: created, or dropped and created again when the
 * restore replaces it. Running it again ends in the same empty database.
 */
export function prepareRestoreDatabase(services: BackupServices) {
  return (input: PrepareRestoreDatabaseInput, context: InvocationContext): Promise<RestoreStepResult> =>
    onTargetServer(
      services,
      input.target,
      (message) => `the database ${input.database} could not be made: ${message}`,
      async (connection) => {
        if (input.replace) {
          context.log(
            `replacing database ${input.database} of ${input.target.name}, as ${input.requestedBy} asked`,
          );
          await services.server.replaceDatabase(connection, input.database);
        } else {
          await services.server.createDatabase(connection, input.database);
        }
      },
    );
}
