import type { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { StorageLocation } from '../config';
import { ConfigError } from '../config';
import { azureCall } from './azureOperationError';
import { sdk } from './sdk';

/**
 * One of Shepherd's tables in its state storage (`SHEPHERD_STATE_STORAGE`): the audit trail now, the
 * freeze store later. Its client is made, and the table created, the first time it is used.
 */
export interface StateTable {
  readonly name: string;
  /** The table's client, once the table exists. */
  client(): Promise<TableClient>;
}

/**
 * The name of Shepherd's table `purpose` (e.g. `Audit`): after the task hub, as the Durable
 * extension names its own tables, so that two Shepherds sharing a storage account keep apart.
 */
export function stateTableName(taskHub: string, purpose: string): string {
  return `${taskHub}${purpose}`;
}

/**
 * Opens the table `name` in `storage`, reached with `credential` when the setting is a service URL.
 * Nothing is loaded or read until the first use; a connection string the SDK cannot read fails there.
 */
export function openStateTable(
  storage: StorageLocation,
  credential: TokenCredential,
  name: string,
): StateTable {
  let table: TableClient | undefined;
  let created: Promise<unknown> | undefined;
  return {
    name,
    async client() {
      table ??= toTableClient(storage, credential, name);
      const client = table;
      created ??= azureCall(`create the table ${name}`, () => client.createTable()).catch((err: unknown) => {
        created = undefined;
        throw err;
      });
      await created;
      return client;
    },
  };
}

function toTableClient(storage: StorageLocation, credential: TokenCredential, name: string): TableClient {
  const { TableClient } = sdk('@azure/data-tables');
  if ('serviceUrl' in storage) return new TableClient(storage.serviceUrl, name, credential);
  try {
    // Azurite's connection strings name http endpoints; the account key signs each request either way.
    return TableClient.fromConnectionString(storage.connectionString, name, {
      allowInsecureConnection: true,
    });
  } catch {
    // The SDK's message may quote the string, which is a secret.
    throw new ConfigError(['SHEPHERD_STATE_STORAGE: the storage connection string could not be read']);
  }
}
