import type { TokenCredential } from '@azure/identity';
import type { BlobServiceClient } from '@azure/storage-blob';
import { ConfigError } from './config';
import type { Config, StorageLocation } from './config';
import { BlobBackupStore } from './azure/backupStore';
import type { BackupStore } from './azure/backupStore';
import { azureCredentialOnFirstUse } from './azure/credential';
import { ConfiguredDatabaseCredentials } from './azure/databaseCredential';
import type { DatabaseCredentials } from './azure/databaseCredential';
import { KeyVaultSecretReader } from './azure/keyVaultSecrets';
import { PgPostgresServer } from './azure/postgresServer';
import type { PostgresServer } from './azure/postgresServer';
import { locatePgTools } from './azure/postgresTools';
import { sdk } from './azure/sdk';
import type { PgTools } from './azure/postgresTools';

/** What backups and restores act through, made once from the settings. */
export interface BackupServices {
  credentials: DatabaseCredentials;
  server: PostgresServer;
  store: BackupStore;
  /** pg_dump and pg_restore, looked for at first use, so that a host without them still starts. */
  tools(): PgTools;
}

export function createBackupServices(config: Config): BackupServices {
  const credential = azureCredentialOnFirstUse(config);
  const secrets = new KeyVaultSecretReader(credential, { sandbox: config.sandbox });
  const { storage, container, pgBinDir, searchPath } = config.backups;
  let tools: PgTools | undefined;
  let store: BackupStore | undefined;
  return {
    credentials: new ConfiguredDatabaseCredentials(secrets, credential),
    server: new PgPostgresServer(),
    // Made, and the Blob SDK loaded, when a backup or a restore first needs it.
    get store() {
      return (store ??=
        storage === undefined
          ? unconfiguredStore
          : new BlobBackupStore(toBlobServiceClient(storage, credential), container));
    },
    tools: () => (tools ??= locatePgTools({ binDir: pgBinDir, searchPath })),
  };
}

/** The Blob service client of the backup storage: the Azure credential for a URL, else the connection string. */
export function toBlobServiceClient(
  storage: StorageLocation,
  credential: TokenCredential,
): BlobServiceClient {
  const { BlobServiceClient } = sdk('@azure/storage-blob');
  if ('serviceUrl' in storage) return new BlobServiceClient(storage.serviceUrl, credential);
  try {
    return BlobServiceClient.fromConnectionString(storage.connectionString);
  } catch {
    // The SDK's message may quote the string, which is a secret.
    throw new ConfigError(['SHEPHERD_BACKUP_STORAGE: the storage connection string could not be read']);
  }
}

/** Settings validation requires storage once a target has a database, so only a bug reaches this. */
const unconfiguredStore: BackupStore = {
  upload: () => Promise.reject(notConfigured()),
  record: () => Promise.reject(notConfigured()),
  open: () => Promise.reject(notConfigured()),
  get: () => Promise.reject(notConfigured()),
  list: () => Promise.reject(notConfigured()),
};

function notConfigured(): Error {
  return new Error('SHEPHERD_BACKUP_STORAGE is not set, so there is nowhere to keep backups.');
}
