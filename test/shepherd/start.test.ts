import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { stopChild } from '../../dev/childProcess';
import { call, repoRoot } from '../support/testHost';

const startArgs = ['--port', '0', '--storage-port', '0', '--sandbox-port', '0'];
/** The function key of local.settings.sample.json, which npm start uses without a local.settings.json. */
const functionKey = 'local-function-key-for-development-only';

describe('npm start and npm run sandbox', () => {
  it('serves Shepherd with Azurite and the sandbox, takes load and pushes, and stops cleanly on Ctrl-C', async (t) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'dev', 'start.js'), ...startArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // A failed assertion must not leave Azurite, the sandbox and the host running (and the test file with them).
    t.after(() => stopChild(child));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const urls = await new Promise<{ health: string; storage: string; sandbox: string }>(
      (resolve, reject) => {
        let health: string | undefined;
        let storage: string | undefined;
        void exited.then((code) =>
          reject(new Error(`npm start exited with ${String(code)} before it was ready`)),
        );
        createInterface({ input: child.stdout }).on('line', (line) => {
          health ??= /health: (\S+)/.exec(line)?.[1];
          storage ??= /Storage: +Azurite at (\S+)/.exec(line)?.[1];
          const sandbox = /Sandbox: +(\S+)/.exec(line)?.[1];
          if (health && storage && sandbox) resolve({ health, storage, sandbox });
        });
      },
    );

    const res = await call(urls.health, '');
    assert.equal(res.status, 200);
    assert.equal((res.body as { status: string }).status, 'ok');
    const details = await call(`${urls.health}/details`, '', { key: functionKey });
    assert.ok((details.body as { functions: string[] }).functions.includes('healthCheck'));

    const loaded = await sandboxCommand([
      'load',
      'contoso-web',
      '--rate',
      '20',
      '--seconds',
      '1',
      '--sandbox',
      urls.sandbox,
    ]);
    assert.equal(loaded.code, 0, loaded.stderr);
    // Production alone serves the load: no release has started yet to route a share to a faulty slot.
    assert.match(loaded.stdout, /^Sent (\d+): \1 × 200$/m);
    const pushed = await sandboxCommand([
      'push',
      'contoso/web:2.0.0',
      'errorRate=0.1',
      '--sandbox',
      urls.sandbox,
    ]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(
      pushed.stdout,
      /^Pushed sandboxregistry\.azurecr\.io\/contoso\/web:2\.0\.0 as sha256:[0-9a-f]{64}$/m,
    );
    // The sandbox's registry webhook reaches Shepherd, which starts a release of the example target.
    assert.match(pushed.stdout, /webhook shepherd: delivered/);
    const releases = await call(
      urls.health.replace(/\/api\/health$/, ''),
      '/api/targets/contoso-web/releases',
      { key: functionKey },
    );
    assert.equal(releases.status, 200);
    assert.match(
      (releases.body as { releases: { image: string }[] }).releases[0]?.image ?? '',
      /^sandboxregistry\.azurecr\.io\/contoso\/web:2\.0\.0@sha256:/,
    );
    const refused = await sandboxCommand([
      'push',
      'contoso/web:3.0.0',
      'errorRate=2',
      '--sandbox',
      urls.sandbox,
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /errorRate: Too big/);

    child.kill('SIGINT');
    assert.equal(await exited, 0);
    await assert.rejects(fetch(urls.storage), 'Azurite stopped with it');
    await assert.rejects(fetch(urls.health), 'the host stopped');
    await assert.rejects(fetch(urls.sandbox), 'the sandbox stopped');
  });

  it('refuses to start with an invalid setting, naming it', async (t) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'dev', 'start.js'), ...startArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SHEPHERD_TARGETS_FILE: 'no-such-targets.json' },
    });
    t.after(() => stopChild(child));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /SHEPHERD_TARGETS_FILE \(.*no-such-targets\.json\): the file does not exist/);
  });
});

/** Runs the command behind `npm run sandbox -- <args>` and collects what it printed. */
function sandboxCommand(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'dev', 'sandbox', 'cli.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
