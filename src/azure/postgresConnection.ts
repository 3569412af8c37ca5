import type { ClientConfig } from 'pg';

/** How to reach one PostgreSQL database, credential included: keep it out of logs, status and errors. */
export interface PgConnection {
  host: string;
  port: number;
  user: string;
  /** A password, or a Microsoft Entra access token, which PostgreSQL on Azure takes as the password. */
  password: string;
  database: string;
  sslMode: 'require' | 'disable';
}

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
    // libpq's `require`: encrypted, certificate not checked, as pg_dump does with the same setting.
    ssl: connection.sslMode === 'require' ? { rejectUnauthorized: false } : false,
    connectionTimeoutMillis: connectTimeoutSeconds * 1000,
    application_name: 'shepherd',
  };
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
    PGCONNECT_TIMEOUT: String(connectTimeoutSeconds),
    PGAPPNAME: 'shepherd',
    // Messages in English whatever the host's locale, so reasons read the same everywhere.
    LC_MESSAGES: 'C',
  };
}
