import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { call, repoRoot } from '../support/testHost';

describe('npm start', () => {
  it('serves Shepherd with Azurite beside it, and stops both cleanly on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'dist', 'dev', 'start.js'),
        '--port',
        '0',
        '--storage-port',
        '0',
        '--sandbox-port',
        '0',
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const urls = await new Promise<{ health: string; storage: string }>((resolve, reject) => {
      let health: string | undefined;
      void exited.then((code) =>
        reject(new Error(`npm start exited with ${String(code)} before it was ready`)),
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        health ??= /health: (\S+)/.exec(line)?.[1];
        const storage = /Storage: +Azurite at (\S+)/.exec(line)?.[1];
        if (health && storage) resolve({ health, storage });
      });
    });

    const res = await call(urls.health, '');
    assert.equal(res.status, 200);
    assert.ok((res.body as { functions: string[] }).functions.includes('healthCheck'));

    child.kill('SIGINT');
    assert.equal(await exited, 0);
    await assert.rejects(fetch(urls.storage), 'Azurite stopped with it');
    await assert.rejects(fetch(urls.health), 'the host stopped');
  });

  it('refuses to start with an invalid setting, naming it', async () => {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'dist', 'dev', 'start.js'),
        '--port',
        '0',
        '--storage-port',
        '0',
        '--sandbox-port',
        '0',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, SHEPHERD_TARGETS_FILE: 'no-such-targets.json' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /SHEPHERD_TARGETS_FILE \(.*no-such-targets\.json\): the file does not exist/);
  });
});
