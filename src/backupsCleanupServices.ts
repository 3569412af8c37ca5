import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { toBlobServiceClient } from './backupServices';
import { readBackupsInUse } from './backupsInUse';
import type { Config } from './config';
import { BlobBackupRetentionStore } from './azure/backupRetentionStore';
import type { BackupRetentionStore } from './azure/backupRetentionStore';
import { azureCredentialOnFirstUse } from './azure/credential';
import type { BackupsInUse } from './domain/backupRetention';

/** What the backup cleanup reads and deletes through, made once from the settings. */
export interface BackupsCleanupServices {
  store: BackupRetentionStore;
  /** The backups running releases and restores need, through the durable client the activity is given. */
  inUse(context: InvocationContext): Promise<BackupsInUse>;
}

export function createBackupsCleanupServices(config: Config): BackupsCleanupServices {
  const { storage, container } = config.backups;
  let store: BackupRetentionStore | undefined;
  return {
    // Made, and the Blob SDK loaded, when a cleanup first needs it.
    get store() {
      return (store ??=
        storage === undefined
          ? noBackupStorage
          : new BlobBackupRetentionStore(
              toBlobServiceClient(storage, azureCredentialOnFirstUse(config)),
              container,
            ));
    },
    inUse: (context) => readBackupsInUse(df.getClient(context)),
  };
}

/** Without backup storage (no target has a database) there are no backups to clean up. */
const noBackupStorage: BackupRetentionStore = {
  listAll: () => Promise.resolve([]),
  delete: () =>
    Promise.reject(new Error('SHEPHERD_BACKUP_STORAGE is not set, so there are no backups to delete.')),
};
