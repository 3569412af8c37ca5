import type { Client } from 'pg';
import type { PgVersion } from '../domain/backupToolVersion';
import { withPgClient } from './postgresClient';
import type { PgConnection } from './postgresConnection';

/** What backups and restores ask of a PostgreSQL server itself, through `pg`. */
export interface PostgresServer {
  /** The server's version, to check pg_dump against before anything is written. */
  version(connection: PgConnection): Promise<PgVersion>;
  databaseExists(connection: PgConnection, database: string): Promise<boolean>;
  /** Creates an empty database; one that exists already is left as it is, so a retry does no harm. */
  createDatabase(connection: PgConnection, database: string): Promise<void>;
  /** Drops the database, ending its sessions, and creates it empty. */
  replaceDatabase(connection: PgConnection, database: string): Promise<void>;
}

/**
 * Databases are dropped from here, as no one can drop the database they are connected to (which may
 * be the target's own); every PostgreSQL server has it, Azure's included.
 */
const maintenanceDatabase = 'postgres';
const duplicateDatabase = '42P04';

/** PostgresServer over `pg`, one short connection per call. */
export class PgPostgresServer implements PostgresServer {
  async version(connection: PgConnection): Promise<PgVersion> {
    return withPgClient(connection, connection.database, 'read the server version', async (client) => {
      const { rows } = await client.query<{ num: number; text: string }>(
        `SELECT current_setting('server_version_num')::int AS num, current_setting('server_version') AS text`,
      );
      const row = rows[0];
      if (!row) throw new Error('the server did not say its version');
      return { number: row.num, text: row.text.split(' ')[0] ?? row.text };
    });
  }

  async databaseExists(connection: PgConnection, database: string): Promise<boolean> {
    return withPgClient(connection, connection.database, `look for database ${database}`, async (client) => {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      return (rowCount ?? 0) > 0;
    });
  }

  async createDatabase(connection: PgConnection, database: string): Promise<void> {
    await withPgClient(connection, connection.database, `create database ${database}`, (client) =>
      create(client, database),
    );
  }

  async replaceDatabase(connection: PgConnection, database: string): Promise<void> {
    await withPgClient(connection, maintenanceDatabase, `replace database ${database}`, async (client) => {
      // FORCE (PostgreSQL 13 and newer) ends the database's sessions, which would otherwise block the drop.
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
      await create(client, database);
    });
  }
}

/** template0, as pg_restore expects: template1 may carry objects of its own that the dump also holds. */
async function create(client: Client, database: string): Promise<void> {
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)} TEMPLATE template0`);
  } catch (err) {
    if ((err as { code?: unknown }).code !== duplicateDatabase) throw err;
  }
}
