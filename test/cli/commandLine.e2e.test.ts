import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { freePort } from '../../dev/freePort';
import { rigRegistry, rigTarget, rigVault, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, repoRoot, tempDir, waitFor } from '../support/testHost';

/** The bin package.json names, as `npx shepherd` runs it. */
const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A line of a stack trace, which a person should never be shown. */
const stackLine = /^\s+at /m;

describe('the shepherd command line, against Shepherd on the local host', () => {
  let rig: ReleaseRig;
  let backupStorage: RunningAzurite;
  const partnerKeyValue = `partner-${Date.now()}-value-never-shown`;

  before(async () => {
    backupStorage = await startAzurite({ location: tempDir('cli-backups') });
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [
        { name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` },
        { name: 'api', image: `${rigRegistry}/contoso/api:1.0.0` },
      ],
      settings: { SHEPHERD_BACKUP_STORAGE: backupStorage.connectionString },
      targets: (sandboxUrl) => [
        rigTarget('web', {
          strategy: 'blueGreen',
          approval: { required: true, timeoutMinutes: 60 },
          bakeMinutes: 0,
          // Listed only: no release backs it up, so no server is needed.
          database: {
            host: '127.0.0.1',
            port: 5432,
            name: 'shop',
            user: 'shepherd',
            credential: { keyVaultSecretUri: `${sandboxUrl}/secrets/shop-db-password` },
            backups: { enabled: false },
          },
        }),
        rigTarget('api', { environment: 'staging' }),
      ],
      secrets: (sandboxUrl) => [
        {
          name: 'partner-key',
          kind: 'manual',
          keyVaultSecretUri: `${sandboxUrl}/secrets/partner-key`,
          consumers: ['web'],
        },
      ],
    });
    const vault = rigVault(rig);
    await vault.setSecret('partner-key', partnerKeyValue, {
      expiresOn: new Date(Date.now() + 30 * 86_400_000),
    });
  });

  after(async () => {
    await rig.stop();
    await backupStorage.stop();
  });

  /** Runs the bin as its own process, with Shepherd's URL and key in the environment unless `env` says otherwise. */
  function shepherd(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
    return started(args, env).done;
  }

  /** Starts the bin; what it has printed so far can be read while it runs. */
  function started(
    args: string[],
    env: Record<string, string | undefined> = {},
  ): { done: Promise<Run>; printed: () => string } {
    const given: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      SHEPHERD_URL: rig.url,
      SHEPHERD_KEY: rig.functionKey,
      ...env,
    };
    // A variable given as undefined is one the child must not have at all.
    const childEnv = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
    const child = spawn(process.execPath, [bin, ...args], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return {
      done: new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr }))),
      printed: () => stdout,
    };
  }

  /** Direct to the API, for comparing with what the CLI printed. */
  async function api(path: string): Promise<unknown> {
    const res = await call(rig.url, path, { key: rig.functionKey });
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  /** Pushes contoso/web:`tag` and waits until its release awaits approval; returns its id. */
  async function awaitingApproval(tag: string): Promise<string> {
    const push = await rig.sandbox.registry.push(`contoso/web:${tag}`);
    return waitFor(
      `the release of ${tag} to await approval`,
      async () => {
        const { targets } = (await api('/api/targets')) as {
          targets: { name: string; release: { id: string; phase: string; image: string } | null }[];
        };
        const release = targets.find((t) => t.name === 'web')?.release;
        return release?.phase === 'awaitingApproval' && release.image.endsWith(push.digest)
          ? release.id
          : undefined;
      },
      90_000,
    );
  }

  it('prints every target as a table for people, and the server’s JSON as it came with --json', async () => {
    const table = await shepherd(['targets']);
    assert.equal(table.code, 0, table.stderr);
    const [heading, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(
      heading ?? '',
      /^TARGET\s+ENVIRONMENT\s+STRATEGY\s+PRODUCTION\s+SLOT\s+KNOWN GOOD\s+FROZEN\s+RELEASE\s+PHASE$/,
    );
    assert.match(
      rows[0] ?? '',
      /^web\s+production\s+blueGreen\s+contoso\/web:1\.0\.0\s+.*\s+\(none\)\s+no\s+-\s+-$/,
    );
    assert.match(rows[1] ?? '', /^api\s+staging\s+canary\s+contoso\/api:1\.0\.0\s/);

    const json = await shepherd(['targets', '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), await api('/api/targets'));
  });

  it('lists a target’s releases, none yet, both ways', async () => {
    const people = await shepherd(['releases', 'web']);
    assert.deepEqual([people.code, people.stdout], [0, 'No releases of web yet.\n']);
    const json = await shepherd(['releases', 'web', '--json']);
    assert.deepEqual([json.code, JSON.parse(json.stdout)], [0, { target: 'web', releases: [] }]);
  });

  let released: string;

  it('approves a release that awaits approval, and status follows it to its success with exit code 0', async () => {
    released = await awaitingApproval('2.0.0');
    const following = started(['status', released, '--interval', '0.2']);
    await waitFor('status to show the release awaiting approval', () =>
      Promise.resolve(following.printed().includes('\n') ? true : undefined),
    );
    const approved = await shepherd(['approve', released, '--reason', 'checked the staging slot']);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(
      approved.stdout,
      `Approved release ${released}: traffic moves on. Follow it with: shepherd status ${released}\n`,
    );

    const followed = await following.done;
    assert.equal(followed.code, 0, followed.stdout + followed.stderr);
    const lines = followed.stdout.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^web contoso\/web:2\.0\.0@sha256:[0-9a-f]{12} · awaiting approval · shepherd approve\|reject /,
    );
    assert.match(lines.at(-1) ?? '', /^web contoso\/web:2\.0\.0@sha256:[0-9a-f]{12} · succeeded/);
    assert.equal(new Set(lines).size, lines.length, 'one line per change, none repeated');

    const release = (await api(`/api/releases/${encodeURIComponent(released)}`)) as {
      approval: { approved: boolean; by: string; reason: string };
    };
    const { approved: yes, by, reason } = release.approval;
    assert.deepEqual([yes, by, reason], [true, 'a holder of the function key', 'checked the staging slot']);
  });

  it('prints a finished release’s JSON once with status --json, and lists it among the target’s releases', async () => {
    const json = await shepherd(['status', released, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), await api(`/api/releases/${encodeURIComponent(released)}`));

    const list = await shepherd(['releases', 'web']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      new RegExp(
        `^${released.replace(/[:]/g, '\\:')}\\s+push\\s+contoso/web:2\\.0\\.0@sha256:[0-9a-f]{12}\\s+\\S+\\s+done 100%\\s+succeeded\\s`,
        'm',
      ),
    );
  });

  it('exits 1 from status when the release it follows is rejected', async () => {
    const id = await awaitingApproval('2.1.0');
    const rejected = await shepherd(['reject', id, '--reason', 'wrong build']);
    assert.deepEqual(
      [rejected.code, rejected.stdout],
      [0, `Rejected release ${id}: it ends without moving traffic.\n`],
    );
    const followed = await shepherd(['status', id, '--interval', '0.2']);
    assert.equal(followed.code, 1, followed.stdout + followed.stderr);
    assert.match(followed.stdout.trimEnd().split('\n').at(-1) ?? '', / · rejected: /);
  });

  it('prints the server’s problem detail and exits non-zero when Shepherd refuses, with no stack trace', async () => {
    const conflict = await shepherd(['approve', released]);
    assert.equal(conflict.code, 3);
    assert.equal(conflict.stdout, '');
    assert.equal(
      conflict.stderr,
      `shepherd: Conflict (409): Release ${released} is not waiting for approval (it is done).\n`,
    );

    const missing = await shepherd(['releases', 'nope']);
    assert.deepEqual(
      [missing.code, missing.stderr],
      [3, 'shepherd: Not Found (404): There is no target nope.\n'],
    );

    const bad = await shepherd(['freeze', 'staging', '--reason', 'x', '--until', 'yesterday']);
    assert.equal(bad.code, 3);
    assert.match(
      bad.stderr,
      /^shepherd: Bad Request \(400\): A freeze needs a reason, and may say until when\.\n {2}until: expected an ISO 8601 date and time[^\n]*\n( {2}until: [^\n]+\n)*$/,
    );
    for (const run of [conflict, missing, bad]) assert.doesNotMatch(run.stderr, stackLine);
  });

  it('refuses to run without a key, and says a refused key is refused, never printing it', async () => {
    const none = await shepherd(['targets'], { SHEPHERD_KEY: undefined });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^shepherd: No function key: pass --key or set SHEPHERD_KEY/);

    const wrongKey = 'wrong-key-0123456789';
    const wrong = await shepherd(['targets', '--key', wrongKey]);
    assert.equal(wrong.code, 3);
    assert.equal(
      wrong.stderr,
      'shepherd: Unauthorized (401): the function key was refused: check --key or SHEPHERD_KEY\n',
    );
    assert.doesNotMatch(wrong.stderr + wrong.stdout, new RegExp(wrongKey));
  });

  it('says where it tried to connect when nothing answers there', async () => {
    const port = await freePort();
    const run = await shepherd(['targets', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(run.code, 3);
    assert.equal(
      run.stderr,
      `shepherd: Could not reach Shepherd at http://127.0.0.1:${port}/api/targets: ECONNREFUSED.\n`,
    );
  });

  it('freezes an environment and lifts the freeze, for people and with --json', async () => {
    const frozen = await shepherd(['freeze', 'staging', '--reason', 'load test']);
    assert.equal(frozen.code, 0, frozen.stderr);
    assert.equal(
      frozen.stdout,
      'Froze the staging environment: load test. Pushes are refused and recorded; rollbacks still run.\n',
    );
    const targets = await shepherd(['targets']);
    assert.match(targets.stdout, /^api\s+staging\s+canary\s+\S+\s+\S+\s+\S+\s+manual\s/m);
    assert.match(targets.stdout, /\napi: frozen \(manual, the staging environment\): load test\n/);

    const changed = await shepherd(['freeze', 'staging', '--reason', 'longer load test', '--json']);
    assert.equal(changed.code, 0, changed.stderr);
    const { freeze } = JSON.parse(changed.stdout) as { freeze: { reason: string; scope: unknown } };
    assert.deepEqual(
      [freeze.reason, freeze.scope],
      ['longer load test', { kind: 'environment', name: 'staging' }],
    );

    const lifted = await shepherd(['unfreeze', 'staging', '--reason', 'test over']);
    assert.deepEqual(
      [lifted.code, lifted.stdout],
      [0, 'Lifted the manual freeze of the staging environment (longer load test).\n'],
    );
    const again = await shepherd(['unfreeze', 'staging', '--reason', 'test over', '--json']);
    assert.deepEqual(
      [again.code, again.stderr],
      [3, 'shepherd: Not Found (404): No freeze holds the staging environment.\n'],
    );
  });

  it('rolls a target back to its known-good image, and status follows the rollback to its end', async () => {
    const rollback = await shepherd(['rollback', 'web', '--reason', 'drill']);
    assert.equal(rollback.code, 0, rollback.stderr);
    const id = /release (\S+) puts the last known-good image back/.exec(rollback.stdout)?.[1];
    assert.ok(id, rollback.stdout);
    const followed = await shepherd(['status', id, '--interval', '0.2']);
    assert.equal(followed.code, 0, followed.stdout + followed.stderr);
    assert.match(followed.stdout.trimEnd().split('\n').at(-1) ?? '', /^web contoso\/web:1\.0\.0 · succeeded/);

    const needsReason = await shepherd(['rollback', 'web']);
    assert.equal(needsReason.code, 2);
    assert.match(
      needsReason.stderr,
      /^shepherd: rollback needs --reason\. Usage: shepherd rollback <target> --reason TEXT\n/,
    );
  });

  it('lists a target’s backups, both ways', async () => {
    const people = await shepherd(['backups', 'web']);
    assert.deepEqual([people.code, people.stdout], [0, 'No backups of web.\n']);
    const json = await shepherd(['backups', 'web', '--json']);
    assert.deepEqual([json.code, JSON.parse(json.stdout)], [0, { target: 'web', backups: [] }]);
  });

  it('lists the managed secrets with their version and expiry, never a value', async () => {
    const people = await shepherd(['secrets']);
    assert.equal(people.code, 0, people.stderr);
    const [heading, row] = people.stdout.trimEnd().split('\n');
    assert.match(
      heading ?? '',
      /^SECRET\s+KIND\s+CONSUMERS\s+VERSION\s+AGE\s+EXPIRES\s+NEXT ROTATION\s+LAST ROTATION$/,
    );
    assert.match(
      row ?? '',
      /^partner-key\s+manual\s+web\s+[0-9a-f]+\s+-?\d+ d\s+\d{4}-\d\d-\d\dT\S+\s+\(manual\)\s+-$/,
    );
    const json = await shepherd(['secrets', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), await api('/api/secrets'));
    assert.doesNotMatch(people.stdout + json.stdout, new RegExp(partnerKeyValue));
  });
});
