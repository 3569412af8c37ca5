import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { locatePgTools, readPgDumpVersion } from '../../src/azure/postgresTools';
import { tempDir } from '../support/testHost';

/** A folder holding executable stand-ins for the named programs. */
function binWith(root: string, dir: string, programs: string[]): string {
  const bin = join(root, dir);
  mkdirSync(bin, { recursive: true });
  for (const program of programs) {
    writeFileSync(join(bin, program), '#!/bin/sh\n');
    chmodSync(join(bin, program), 0o755);
  }
  return bin;
}

describe('finding pg_dump and pg_restore', () => {
  const both = ['pg_dump', 'pg_restore'];

  it('uses SHEPHERD_PG_BIN_DIR when it is set, and only that', () => {
    const root = tempDir('pgtools');
    const configured = binWith(root, 'configured', both);
    const onPath = binWith(root, 'path', both);
    assert.equal(
      locatePgTools({ binDir: configured, searchPath: [onPath] }).pgDump,
      join(configured, 'pg_dump'),
    );
    const empty = binWith(root, 'empty', []);
    assert.throws(
      () => locatePgTools({ binDir: empty, searchPath: [onPath] }),
      /SHEPHERD_PG_BIN_DIR \(.*empty\) does not hold both programs/,
    );
  });

  it('takes the first folder of PATH holding both, before any installed release', () => {
    const root = tempDir('pgtools');
    const onlyDump = binWith(root, 'only-dump', ['pg_dump']);
    const full = binWith(root, 'full', both);
    binWith(root, 'install/16/bin', both);
    const tools = locatePgTools({
      binDir: undefined,
      searchPath: [onlyDump, full],
      installRoot: join(root, 'install'),
    });
    assert.deepEqual(tools, { pgDump: join(full, 'pg_dump'), pgRestore: join(full, 'pg_restore') });
  });

  it('falls back to the newest major release installed', () => {
    const root = tempDir('pgtools');
    for (const major of ['9.6', '13', '15']) binWith(root, `install/${major}/bin`, both);
    binWith(root, 'install/17/bin', ['pg_dump']);
    const tools = locatePgTools({ binDir: undefined, searchPath: [], installRoot: join(root, 'install') });
    assert.equal(tools.pgDump, join(root, 'install/15/bin/pg_dump'));
  });

  it('says where it looked when there is none', () => {
    const root = tempDir('pgtools');
    assert.throws(
      () => locatePgTools({ binDir: undefined, searchPath: [root], installRoot: join(root, 'none') }),
      /neither PATH nor .*none\/\*\/bin holds them; install the PostgreSQL client or set SHEPHERD_PG_BIN_DIR/,
    );
  });

  it("reads the real pg_dump's version", async () => {
    const version = await readPgDumpVersion(locatePgTools({ binDir: undefined, searchPath: [] }));
    assert.match(version.text, /^\d+\.\d+$/);
    assert.ok(version.number >= 100000);
  });
});
