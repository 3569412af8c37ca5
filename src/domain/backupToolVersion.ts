/** A PostgreSQL version, as `server_version_num` counts it: 15.18 is 150018, 9.6.24 is 90624. */
export interface PgVersion {
  number: number;
  /** As PostgreSQL prints it, e.g. `15.18`. */
  text: string;
}

export type DumpVersionDecision = { ok: true } | { ok: false; reason: string };

/** The oldest server pg_dump 15 and newer can dump; older pg_dump reached further back. */
const oldestDumpableServer = 90200;
const firstDumpWithout9_2Floor = 150000;

/** The version in `pg_dump --version` output (`pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`). */
export function parsePgDumpVersion(output: string): PgVersion | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(output);
  if (!match?.[1]) return undefined;
  const [major, second, third] = [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
  // From 10 on a version is major.minor; before, the major was two numbers (9.6) and the minor a third.
  const number = major >= 10 ? major * 10000 + second : major * 10000 + second * 100 + third;
  const text = [match[1], match[2], match[3]].filter((p) => p !== undefined).join('.');
  return { number, text };
}

/** The major release a version belongs to, as a number to compare (150000, 90600) and as text (15, 9.6). */
export function majorOf(version: PgVersion): { number: number; text: string } {
  const n = version.number;
  return n >= 100000
    ? { number: Math.floor(n / 10000) * 10000, text: String(Math.floor(n / 10000)) }
    : { number: Math.floor(n / 100) * 100, text: `${Math.floor(n / 10000)}.${Math.floor(n / 100) % 100}` };
}

/**
 * Whether this pg_dump can dump this server. pg_dump refuses a server of a newer major release (its
 * catalog is unknown to it), and pg_dump 15 and newer no longer dump servers older than 9.2.
 */
export function decideDumpVersion(pgDump: PgVersion, server: PgVersion): DumpVersionDecision {
  const dumpMajor = majorOf(pgDump);
  const serverMajor = majorOf(server);
  if (dumpMajor.number < serverMajor.number) {
    return {
      ok: false,
      reason:
        `pg_dump ${pgDump.text} cannot dump a PostgreSQL ${server.text} server: install the PostgreSQL ` +
        `${serverMajor.text} client programs (or newer) and point SHEPHERD_PG_BIN_DIR at them`,
    };
  }
  if (pgDump.number >= firstDumpWithout9_2Floor && server.number < oldestDumpableServer) {
    return {
      ok: false,
      reason: `pg_dump ${pgDump.text} cannot dump a PostgreSQL ${server.text} server: it dumps servers from 9.2 on`,
    };
  }
  return { ok: true };
}
