import type { Config } from './config';
import { azureCredentialOnFirstUse } from './azure/credential';
import { ConfiguredDatabaseCredentials } from './azure/databaseCredential';
import { AppServiceKeyVaultReferences } from './azure/keyVaultReferences';
import type { KeyVaultReferences } from './azure/keyVaultReferences';
import { KeyVaultSecretReader } from './azure/keyVaultSecrets';
import type { SecretReader } from './azure/keyVaultSecrets';
import type { PgConnection } from './azure/postgresConnection';
import { PgPostgresRoles } from './azure/postgresRoles';
import type { PostgresRoles } from './azure/postgresRoles';
import { KeyVaultSecretVersions } from './azure/secretVersions';
import type { SecretVersions } from './azure/secretVersions';
import { AppServiceSlotDeployment } from './azure/slotDeployment';
import type { SlotDeployment } from './azure/slotDeployment';
import { WebAppsClients } from './azure/webAppsClients';
import type { PostgresRoleSecret } from './secretSettings';

/** What rotations act through, made once from the settings. */
export interface RotationServices {
  versions: SecretVersions;
  /** Reads a version's value, for the activities that must look inside one (a role in a connection URL). */
  reader: SecretReader;
  roles: PostgresRoles;
  references: KeyVaultReferences;
  slots: SlotDeployment;
  /** Shepherd's admin connection to a two-role secret's database, its credential in hand. */
  adminConnection(secret: PostgresRoleSecret): Promise<PgConnection>;
}

export function createRotationServices(config: Config): RotationServices {
  const credential = azureCredentialOnFirstUse(config);
  const reader = new KeyVaultSecretReader(credential, { sandbox: config.sandbox });
  const clients = new WebAppsClients({ credential, endpoint: config.armEndpoint });
  const logins = new ConfiguredDatabaseCredentials(reader, credential);
  return {
    versions: new KeyVaultSecretVersions(credential, { sandbox: config.sandbox }),
    reader,
    roles: new PgPostgresRoles(),
    references: new AppServiceKeyVaultReferences(clients),
    slots: new AppServiceSlotDeployment(clients),
    adminConnection: (secret) => {
      const { host, port, database, sslMode, sslRootCert, admin } = secret.postgres;
      return logins.connectionTo({
        host,
        port,
        name: database,
        user: admin.user,
        sslMode,
        ...(sslRootCert === undefined ? {} : { sslRootCert }),
        credential: admin.credential,
      });
    },
  };
}
