import type { TokenCredential } from '@azure/identity';
import type { TargetDatabase } from '../config';
import { readPostgresUrl } from '../domain/postgresUrl';
import { azureCall } from './azureOperationError';
import type { SecretReader } from './keyVaultSecrets';
import type { PgConnection } from './postgresConnection';
import { PostgresToolError } from './postgresToolError';

/** The audience of Microsoft Entra tokens that Azure Database for PostgreSQL accepts as passwords. */
export const entraPostgresScope = 'https://ossrdbms-aad.database.windows.net/.default';

/** Where a database is and how Shepherd signs in to it: a target's database, or a secret's admin login. */
export type DatabaseLogin = Pick<
  TargetDatabase,
  'host' | 'port' | 'name' | 'user' | 'sslMode' | 'sslRootCert' | 'credential'
>;

/** Turns database settings into a connection with its credential in hand. */
export interface DatabaseCredentials {
  /** The connection to `database`, its password read from Key Vault or a fresh Entra token. */
  connectionTo(database: DatabaseLogin): Promise<PgConnection>;
}

/** DatabaseCredentials from Key Vault secrets or, passwordless, the app's Microsoft Entra identity. */
export class ConfiguredDatabaseCredentials implements DatabaseCredentials {
  constructor(
    private readonly secrets: SecretReader,
    private readonly credential: TokenCredential,
  ) {}

  async connectionTo(database: DatabaseLogin): Promise<PgConnection> {
    const { credential } = database;
    const base = {
      host: database.host,
      port: database.port,
      user: database.user,
      database: database.name,
      sslMode: database.sslMode,
      ...(database.sslRootCert === undefined ? {} : { sslRootCert: database.sslRootCert }),
    };
    if ('entra' in credential) {
      const token = await azureCall('get a Microsoft Entra token for PostgreSQL', async () => {
        const issued = await this.credential.getToken(entraPostgresScope);
        if (!issued) throw new Error('no token was issued');
        return issued;
      });
      return { ...base, password: token.token };
    }
    const value = await this.secrets.readSecret(credential.keyVaultSecretUri);
    return credential.holds === 'password' ? { ...base, password: value } : fromConnectionString(value, base);
  }
}

/**
 * The connection a `postgres://user:password@host:port/…` connection string names, on top of `base`:
 * its host, port, user and password win; the database and TLS mode stay the target's. Throws without
 * quoting the string, which is a secret. Only the URL form is taken (see `readPostgresUrl`).
 */
export function fromConnectionString(value: string, base: Omit<PgConnection, 'password'>): PgConnection {
  const reading = readPostgresUrl(value);
  const fail = (why: string): never => {
    throw new PostgresToolError('read the database connection string from Key Vault', why);
  };
  if ('problem' in reading) return fail(reading.problem);
  const { url } = reading;
  if (url.password === undefined) return fail('it has no password');
  return {
    ...base,
    host: url.host ?? base.host,
    port: url.port ?? base.port,
    user: url.user ?? base.user,
    password: url.password,
  };
}
