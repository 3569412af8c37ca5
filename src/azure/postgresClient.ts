import type { Client } from 'pg';
import type { PgConnection } from './postgresConnection';
import { toPgClientConfig } from './postgresConnection';
import { redactSecrets } from './postgresSecrets';
import { sdk } from './sdk';
import { PostgresToolError } from './postgresToolError';

/**
 * Runs `use` on a fresh `pg` connection to `database` on `connection`'s server and ends it. Whatever
 * fails becomes a PostgresToolError named after `operation`, its reason stripped of the connection's
 * password and of `secrets` (say, a password being set).
 */
export async function withPgClient<T>(
  connection: PgConnection,
  database: string,
  operation: string,
  use: (client: Client) => Promise<T>,
  secrets: readonly string[] = [],
): Promise<T> {
  const client = new (sdk('pg').Client)(toPgClientConfig(connection, database));
  // A connection that breaks after connecting emits 'error'; the failed query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await use(client);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown } | undefined)?.code;
    throw new PostgresToolError(
      operation,
      redactSecrets(message, [connection.password, ...secrets]),
      typeof code === 'string' ? code : undefined,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
