import { readFileSync } from 'node:fs';
import { checkServerIdentity } from 'node:tls';
import type { ClientConfig } from 'pg';

/** How to reach one PostgreSQL database, credential included: keep it out of logs, status and errors. */
export interface PgConnection {
  host: string;
  port: number;
  user: string;
  /** A password, or a Microsoft Entra access token, which PostgreSQL on Azure takes as the password. */
  password: string;
  database: string;
  /**
   * `verify-full`: encrypted, and the server must show a certificate for `host` from a CA in
   * `sslRootCert`; `require`: encrypted, certificate not checked; `disable`: plain, for a local server.
   */
  sslMode: 'verify-full' | 'require' | 'disable';
  /** The CAs (a PEM file) trusted with `verify-full`; the machine's own bundle when not given. */
  sslRootCert?: string;
}

/**
 * The CA bundle of Debian (which the Azure Functions Linux images are built on): it holds the roots
 * that Azure Database for PostgreSQL certificates chain to.
 */
export const systemCaBundle = '/etc/ssl/certs/ca-certificates.crt';

/** How long a connection attempt may take before it counts as failed. */
const connectTimeoutSeconds = 30;

/** The `pg` client settings for `connection`, optionally for another database on the same server. */
export function toPgClientConfig(connection: PgConnection, database = connection.database): ClientConfig {
  return {
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    database,
    ssl: toPgClientTls(connection),
    connectionTimeoutMillis: connectTimeoutSeconds * 1000,
    application_name: 'shepherd',
  };
}

/** TLS for `pg` with the checks libpq makes for the same `sslmode`, so pg_dump and `pg` agree. */
function toPgClientTls(connection: PgConnection): ClientConfig['ssl'] {
  switch (connection.sslMode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return {
        ca: readFileSync(connection.sslRootCert ?? systemCaBundle, 'utf8'),
        rejectUnauthorized: true,
        // Against the host as configured, IP address or name: Node would otherwise check an IP
        // address connection against "localhost", as no server name is sent for one.
        checkServerIdentity: (_servername, cert) => checkServerIdentity(connection.host, cert),
      };
  }
}

/**
 * The environment through which pg_dump and pg_restore (libpq) get the connection, password included:
 * an environment is not visible to other users the way a command line is. Nothing else is inherited,
 * so no setting of Shepherd's own (a client secret, a connection string) reaches the programs, and
 * no PG* variable of the host changes what they connect to.
 */
export function toPgEnvironment(connection: PgConnection): Record<string, string> {
  return {
    PGHOST: connection.host,
    PGPORT: String(connection.port),
    PGUSER: connection.user,
    PGPASSWORD: connection.password,
    PGDATABASE: connection.database,
    PGSSLMODE: connection.sslMode,
    ...(connection.sslMode === 'verify-full'
      ? { PGSSLROOTCERT: connection.sslRootCert ?? systemCaBundle }
      : {}),
    PGCONNECT_TIMEOUT: String(connectTimeoutSeconds),
    PGAPPNAME: 'shepherd',
    // Messages in English whatever the host's locale, so reasons read the same everywhere.
    LC_MESSAGES: 'C',
  };
}
