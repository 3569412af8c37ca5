import type { Client } from 'pg';
import { withPgClient } from './postgresClient';
import type { PgConnection } from './postgresConnection';
import { defaultScramIterations, hashPassword, toPasswordEncryption } from './postgresPasswordHash';
import { PostgresToolError } from './postgresToolError';

/** A login role as the catalog describes it. */
export interface RoleState {
  canLogin: boolean;
  /** When its password stops working (`VALID UNTIL`); undefined when it never does. */
  validUntil: Date | undefined;
  /** Whether it may connect to the database asked about (`CONNECT`, directly or through PUBLIC). */
  mayConnect: boolean;
  /** Its `CONNECTION LIMIT`; -1 for none. */
  connectionLimit: number;
}

/** One client session on a database, from `pg_stat_activity`. */
export interface RoleSession {
  role: string;
  pid: number;
  applicationName: string;
  /**
   * Undefined over a Unix socket, and whenever Shepherd's role may not see other roles' sessions in
   * full: that takes `pg_read_all_stats` (or `pg_monitor`); role and application name show regardless.
   */
  clientAddress: string | undefined;
  backendStart: Date | undefined;
}

/**
 * Whether a credential signs in. `reason` is PostgreSQL's or the network's, with no credential in it;
 * `code` its SQLSTATE (`28P01` a wrong password, `28000` a role that may not log in, `42501` no
 * CONNECT on the database, `3D000` no such database) or Node's (`ECONNREFUSED`).
 */
export type LoginProof = { ok: true } | { ok: false; reason: string; code: string | undefined };

/**
 * What rotating a password between two roles that take turns asks of PostgreSQL. `admin` is a
 * connection as a role with CREATEROLE (on PostgreSQL 16 and newer, also ADMIN OPTION on the roles),
 * as Azure Database for PostgreSQL's server admin has.
 */
export interface PostgresRoles {
  /**
   * Gives `role` the password `password`, hashed here as the server's `password_encryption` says
   * (SCRAM-SHA-256 or MD5), so the cleartext never reaches the server. Sessions already open on the
   * role stay open: PostgreSQL checks a password only when a session starts.
   */
  setPassword(admin: PgConnection, role: string, password: string): Promise<void>;
  /** Signs in as `credential` (its user, password and database) and runs a query. */
  proveLogin(credential: PgConnection): Promise<LoginProof>;
  /** The client sessions on `database` now, Shepherd's own connection aside. */
  sessions(admin: PgConnection, database: string): Promise<RoleSession[]>;
  /** The role, and whether it may connect to `database`; undefined when there is no such role. */
  describeRole(admin: PgConnection, role: string, database: string): Promise<RoleState | undefined>;
}

/** PostgresRoles over `pg`, one short connection per call. */
export class PgPostgresRoles implements PostgresRoles {
  async setPassword(admin: PgConnection, role: string, password: string): Promise<void> {
    // Read when a failure is reported, by which time it holds the hash too.
    const secrets = [password];
    await withPgClient(
      admin,
      admin.database,
      `set the password of role ${role}`,
      async (client) => {
        const { encryption, iterations } = await passwordSettings(client);
        const hashed = hashPassword(password, role, encryption, { iterations });
        secrets.push(hashed);
        await client.query(
          `ALTER ROLE ${client.escapeIdentifier(role)} PASSWORD ${client.escapeLiteral(hashed)}`,
        );
      },
      secrets,
    );
  }

  async proveLogin(credential: PgConnection): Promise<LoginProof> {
    try {
      await withPgClient(credential, credential.database, `sign in as ${credential.user}`, (client) =>
        client.query('SELECT 1'),
      );
      return { ok: true };
    } catch (err) {
      if (!(err instanceof PostgresToolError)) throw err;
      return { ok: false, reason: err.reason, code: err.code };
    }
  }

  async sessions(admin: PgConnection, database: string): Promise<RoleSession[]> {
    return withPgClient(
      admin,
      admin.database,
      `list the sessions on database ${database}`,
      async (client) => {
        // A session Shepherd's role may not see in full shows a null backend_type; it is a client's.
        const { rows } = await client.query<{
          usename: string;
          pid: number;
          application_name: string | null;
          client_addr: string | null;
          backend_start: Date | null;
        }>(
          `SELECT usename, pid, application_name, host(client_addr) AS client_addr, backend_start
           FROM pg_stat_activity
          WHERE datname = $1 AND usename IS NOT NULL AND pid <> pg_backend_pid()
            AND (backend_type = 'client backend' OR backend_type IS NULL)
          ORDER BY usename, pid`,
          [database],
        );
        return rows.map((row) => ({
          role: row.usename,
          pid: row.pid,
          applicationName: row.application_name ?? '',
          clientAddress: row.client_addr ?? undefined,
          backendStart: row.backend_start ?? undefined,
        }));
      },
    );
  }

  async describeRole(admin: PgConnection, role: string, database: string): Promise<RoleState | undefined> {
    return withPgClient(admin, admin.database, `look up role ${role}`, async (client) => {
      const { rows } = await client.query<{
        rolcanlogin: boolean;
        valid_until: Date | null;
        rolconnlimit: number;
        may_connect: boolean;
      }>(
        `SELECT rolcanlogin, rolconnlimit,
                CASE WHEN rolvaliduntil = 'infinity' THEN NULL ELSE rolvaliduntil END AS valid_until,
                has_database_privilege(oid, $2, 'CONNECT') AS may_connect
           FROM pg_roles WHERE rolname = $1`,
        [role, database],
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : {
            canLogin: row.rolcanlogin,
            validUntil: row.valid_until ?? undefined,
            mayConnect: row.may_connect,
            connectionLimit: row.rolconnlimit,
          };
    });
  }
}

/** How this server stores passwords; `scram_iterations` exists from PostgreSQL 16 on. */
async function passwordSettings(
  client: Client,
): Promise<{ encryption: 'scram-sha-256' | 'md5'; iterations: number }> {
  const { rows } = await client.query<{ encryption: string; iterations: string | null }>(
    `SELECT current_setting('password_encryption') AS encryption,
            current_setting('scram_iterations', true) AS iterations`,
  );
  const setting = rows[0]?.encryption ?? '';
  const encryption = toPasswordEncryption(setting);
  if (encryption === undefined)
    throw new Error(
      `the server's password_encryption is "${setting}", for which Shepherd cannot hash a password`,
    );
  const iterations = Number(rows[0]?.iterations ?? defaultScramIterations);
  return {
    encryption,
    iterations: Number.isInteger(iterations) && iterations > 0 ? iterations : defaultScramIterations,
  };
}
