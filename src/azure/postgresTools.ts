import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parsePgDumpVersion } from '../domain/backupToolVersion';
import type { PgVersion } from '../domain/backupToolVersion';
import { PostgresToolError } from './postgresToolError';

/** The PostgreSQL client programs backups and restores run; both from one folder, so of one version. */
export interface PgTools {
  pgDump: string;
  pgRestore: string;
}

export interface PgToolSearch {
  /** SHEPHERD_PG_BIN_DIR, when set: the only place looked at. */
  binDir: string | undefined;
  /** The folders of PATH, in order. */
  searchPath: readonly string[];
  /** Where Debian and Ubuntu install each major release's programs, one folder per major. */
  installRoot?: string;
}

const debianInstallRoot = '/usr/lib/postgresql';

/**
 * Finds pg_dump and pg_restore: in the configured folder; else the first folder of PATH that has
 * both; else the newest major release under /usr/lib/postgresql. Throws a PostgresToolError saying
 * where it looked.
 */
export function locatePgTools(search: PgToolSearch): PgTools {
  if (search.binDir !== undefined) {
    const tools = toolsIn(search.binDir);
    if (tools) return tools;
    throw new PostgresToolError(
      'finding pg_dump and pg_restore',
      `SHEPHERD_PG_BIN_DIR (${search.binDir}) does not hold both programs`,
    );
  }
  for (const dir of search.searchPath) {
    const tools = dir === '' ? undefined : toolsIn(dir);
    if (tools) return tools;
  }
  const root = search.installRoot ?? debianInstallRoot;
  for (const major of installedMajors(root)) {
    const tools = toolsIn(join(root, major, 'bin'));
    if (tools) return tools;
  }
  throw new PostgresToolError(
    'finding pg_dump and pg_restore',
    `neither PATH nor ${root}/*/bin holds them; install the PostgreSQL client or set SHEPHERD_PG_BIN_DIR`,
  );
}

/** The version `pg_dump --version` reports. */
export function readPgDumpVersion(tools: PgTools): Promise<PgVersion> {
  return new Promise((resolve, reject) => {
    execFile(tools.pgDump, ['--version'], { env: { LC_MESSAGES: 'C' } }, (err, stdout) => {
      const version = err ? undefined : parsePgDumpVersion(stdout);
      if (version) resolve(version);
      else
        reject(
          new PostgresToolError(
            `${tools.pgDump} --version`,
            err ? err.message : `unexpected output: ${stdout.slice(0, 200).trim()}`,
          ),
        );
    });
  });
}

function toolsIn(dir: string): PgTools | undefined {
  const tools = { pgDump: join(dir, 'pg_dump'), pgRestore: join(dir, 'pg_restore') };
  return isExecutable(tools.pgDump) && isExecutable(tools.pgRestore) ? tools : undefined;
}

/** Whether `path` is a file this process may run. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Folder names under `root` that are major versions, newest first. */
function installedMajors(root: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries.filter((e) => /^\d+(\.\d+)?$/.test(e)).sort((a, b) => Number(b) - Number(a));
}
