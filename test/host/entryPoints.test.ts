import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stopChild } from '../../dev/childProcess';
import { entryPointFiles } from '../../dev/host/entryPoints';
import { call, startHostProcess, tempDir, testAppDir } from '../support/testHost';

function appFolder(files: string[]): string {
  const dir = tempDir('entry-points');
  for (const file of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), '');
  }
  return dir;
}

describe('the app files package.json "main" names', () => {
  const app = appFolder([
    'dist/src/functions/b.js',
    'dist/src/functions/a.js',
    'dist/src/functions/a.js.map',
    'dist/src/functions/.hidden.js',
    'dist/src/functions/nested/c.js',
    'dist/src/index.js',
  ]);
  const relative = (files: string[]): string[] => files.map((f) => f.slice(app.length + 1));

  it('are every match of a glob, in name order, skipping dot files and other folders', () => {
    assert.deepEqual(relative(entryPointFiles(app, 'dist/src/functions/*.js')), [
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
    ]);
  });

  it('go down every folder for **', () => {
    assert.deepEqual(relative(entryPointFiles(app, 'dist/**/*.js')), [
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
      'dist/src/functions/nested/c.js',
      'dist/src/index.js',
    ]);
  });

  it('are the one file a plain path names, or none when it does not exist', () => {
    assert.deepEqual(relative(entryPointFiles(app, 'dist/src/index.js')), ['dist/src/index.js']);
    assert.deepEqual(entryPointFiles(app, 'dist/src/missing.js'), []);
    assert.deepEqual(entryPointFiles(app, 'build/*.js'), []);
  });

  it('load every function file of an app whose main is a glob', async () => {
    const { child, url } = await startHostProcess([
      ...['--app', join(testAppDir, 'glob'), '--port', '0'],
      ...['--data-dir', tempDir('glob-app')],
    ]);
    try {
      assert.equal((await call(url, '/api/hello')).text, 'hello from one file');
      assert.equal((await call(url, '/api/goodbye')).text, 'goodbye from another');
    } finally {
      await stopChild(child);
    }
  });
});
