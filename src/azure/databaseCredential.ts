import type { TokenCredential } from '@azure/identity';
import { parse } from 'pg-connection-string';
import type { TargetDatabase } from '../config';
import { azureCall } from './azureOperationError';
import type { SecretReader } from './keyVaultSecrets';
import type { PgConnection } from './postgresConnection';
import { PostgresToolError } from './postgresToolError';

/** The audience of Microsoft Entra tokens that Azure Database for PostgreSQL accepts as passwords. */
export const entraPostgresScope = 'https://ossrdbms-aad.database.windows.net/.default';

/** Turns a target's database settings into a connection with its credential in hand. */
export interface DatabaseCredentials {
  /** The connection to `database`, its password read from Key Vault or a fresh Entra token. */
  connectionTo(database: TargetDatabase): Promise<PgConnection>;
}

/** DatabaseCredentials from Key Vault secrets or, passwordless, the app's Microsoft Entra identity. */
export class ConfiguredDatabaseCredentials implements DatabaseCredentials {
  constructor(
    private readonly secrets: SecretReader,
    private readonly credential: TokenCredential,
  ) {}

  async connectionTo(database: TargetDatabase): Promise<PgConnection> {
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
 * quoting the string, which is a secret. Only the URL form is taken: libpq's `key=value` form would be
 * read by the parser as a database name, password and all.
 */
export function fromConnectionString(value: string, base: Omit<PgConnection, 'password'>): PgConnection {
  const fail = (why: string): never => {
    throw new PostgresToolError('read the database connection string from Key Vault', why);
  };
  if (!/^postgres(ql)?:\/\//i.test(value.trim()))
    fail('expected a postgres:// or postgresql:// URL (the key=value form is not supported)');
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(value.trim(), { useLibpqCompat: true });
  } catch {
    return fail('it is not a valid connection URL');
  }
  if (!parsed.password) return fail('it has no password');
  const port = parsed.port ? Number(parsed.port) : base.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return fail('its port is not a port number');
  return {
    ...base,
    host: nonEmpty(parsed.host) ?? base.host,
    port,
    user: nonEmpty(parsed.user) ?? base.user,
    password: parsed.password,
  };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
