import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgTools } from '../../src/azure/postgresTools';
import { tempDir } from '../support/testHost';

/**
 * A bin folder whose pg_dump is a shell script running `script` (with the real program's
 * `--version`, unless `version` is given) and whose pg_restore is the real one. The programs get no
 * PATH, so scripts name what they run in full.
 */
export function fakePgDump(real: PgTools, script: string, version?: string): PgTools & { dir: string } {
  const dir = tempDir('fake-pg');
  const pgDump = join(dir, 'pg_dump');
  const versionLine =
    version === undefined
      ? `exec ${real.pgDump} --version`
      : `echo 'pg_dump (PostgreSQL) ${version}'; exit 0`;
  writeFileSync(
    pgDump,
    [
      '#!/bin/sh',
      `if [ "$1" = "--version" ]; then ${versionLine}; fi`,
      `echo "$@" > ${dir}/dumped`,
      script,
      '',
    ].join('\n'),
  );
  chmodSync(pgDump, 0o755);
  const pgRestore = join(dir, 'pg_restore');
  symlinkSync(real.pgRestore, pgRestore);
  return { dir, pgDump, pgRestore };
}
