/**
 * A PostgreSQL program or connection that failed, told so a person can act on it. Its message is
 * already free of credentials (see `redactSecrets`) and it keeps no cause, so nothing secret travels
 * with it into logs, custom status or results.
 */
export class PostgresToolError extends Error {
  override readonly name = 'PostgresToolError';

  constructor(
    /** What Shepherd was doing, e.g. `pg_dump of appdb`. */
    readonly operation: string,
    readonly reason: string,
    /** PostgreSQL's SQLSTATE (`28P01`) or Node's error code (`ECONNREFUSED`), when the failure had one. */
    readonly code?: string,
  ) {
    super(`${operation} failed: ${reason}`);
  }
}
