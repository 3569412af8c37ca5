import { Pool } from 'pg';

/** The sample app's database, when its settings name one. */
export interface SampleDatabase {
  /** One trivial query: true when the database answered it. */
  touch(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects to the PostgreSQL server a `postgres://user:password@host:port/db` URL names, as a web
 * app does with its connection pool: the sessions stay open between requests, under the URL's user
 * (what `pg_stat_activity` shows), and each request touches the database. A wrong password makes
 * every touch fail; the pool tries again on the next one. `query` is what a touch runs: `SELECT 1`,
 * or the app's own query of its tables, which a role without rights on them fails. Errors never
 * leave this module, so the URL's password cannot reach a response.
 */
export function openDatabase(url: string, applicationName: string, query = 'SELECT 1'): SampleDatabase {
  const pool = new Pool({
    connectionString: url,
    application_name: applicationName,
    max: 2,
    // Idle sessions stay open, as an app's pool keeps them, so the server always shows who is connected.
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 5000,
  });
  // A session the server ends (a restart, pg_terminate_backend) is dropped and replaced on demand.
  pool.on('error', () => undefined);
  return {
    touch: () =>
      pool.query(query).then(
        () => true,
        () => false,
      ),
    close: () => pool.end(),
  };
}
