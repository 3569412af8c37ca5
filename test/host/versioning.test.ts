import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import { LocalHost } from '../../dev/host/host';
import { compareVersions, versionVerdict } from '../../dev/host/durable/versioning';
import type { VersionPolicy } from '../../dev/host/durable/versioning';
import { call, repoRoot, tempDir, testAppDir, testKeys, testSettings } from '../support/testHost';

interface Status {
  runtimeStatus: string;
  output: unknown;
}

const systemKey = testKeys.system.durabletask_extension ?? '';

/** The test app in its own folder, with `durableTask` settings added to its host.json. */
function appWith(durableTask: Record<string, string>): string {
  const dir = tempDir('versioned-app');
  const hostJson = JSON.parse(readFileSync(join(testAppDir, 'host.json'), 'utf8')) as {
    extensions: { durableTask: Record<string, string> };
  };
  Object.assign(hostJson.extensions.durableTask, durableTask);
  writeFileSync(join(dir, 'host.json'), JSON.stringify(hostJson));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ main: join(repoRoot, 'dist/test/app/index.js') }),
  );
  return dir;
}

function startHost(appDir: string, dataDir: string, clock: VirtualClock): Promise<LocalHost> {
  return LocalHost.start({ appDir, port: 0, settings: testSettings, dataDir, clock });
}

async function startVersioned(host: LocalHost, version?: string): Promise<string> {
  const query = version === undefined ? '' : `&version=${version}`;
  const res = await call(
    host.url,
    `/runtime/webhooks/durabletask/orchestrators/versioned?code=${systemKey}${query}`,
    {
      method: 'POST',
    },
  );
  assert.equal(res.status, 202, res.text);
  await host.idle();
  return (res.body as { id: string }).id;
}

async function statusOf(host: LocalHost, id: string): Promise<Status> {
  return (await call(host.url, `/runtime/webhooks/durabletask/instances/${id}?code=${systemKey}`))
    .body as Status;
}

describe('orchestration versioning on the local host', () => {
  const clock = new VirtualClock(Date.parse('2026-09-01T00:00:00Z'));

  it("stamps new instances and their sub-orchestrations with host.json's defaultVersion", async () => {
    const host = await startHost(appWith({ defaultVersion: '1.0' }), tempDir('versions'), clock);
    try {
      const id = await startVersioned(host);
      const status = await statusOf(host, id);
      assert.equal(status.runtimeStatus, 'Completed');
      assert.deepEqual(status.output, { version: '1.0', sub: '1.0' });
    } finally {
      await host.stop();
    }
  });

  it('leaves an instance of a newer version to a newer host, which then runs it (Reject)', async () => {
    const dataDir = tempDir('versions-reject');
    const older = await startHost(appWith({ defaultVersion: '1.0' }), dataDir, clock);
    let id: string;
    try {
      id = await startVersioned(older, '2.0');
      assert.equal((await statusOf(older, id)).runtimeStatus, 'Pending', 'the 1.0 host does not run it');
    } finally {
      await older.stop();
    }
    const newer = await startHost(appWith({ defaultVersion: '2.0' }), dataDir, clock);
    try {
      await newer.idle();
      const status = await statusOf(newer, id);
      assert.equal(status.runtimeStatus, 'Completed');
      assert.deepEqual(status.output, { version: '2.0', sub: '2.0' });
    } finally {
      await newer.stop();
    }
  });

  it('fails an instance its version strategy rules out when versionFailureStrategy is Fail', async () => {
    const app = appWith({
      defaultVersion: '2.0',
      versionMatchStrategy: 'Strict',
      versionFailureStrategy: 'Fail',
    });
    const host = await startHost(app, tempDir('versions-fail'), clock);
    try {
      const id = await startVersioned(host, '1.0');
      const status = await statusOf(host, id);
      assert.equal(status.runtimeStatus, 'Failed');
      assert.match(String(status.output), /version '1\.0' does not match this worker's version '2\.0'/);
    } finally {
      await host.stop();
    }
  });
});

describe('which instances a worker runs', () => {
  const policy = (defaultVersion: string | undefined, match: VersionPolicy['match']): VersionPolicy => ({
    ...(defaultVersion === undefined ? {} : { defaultVersion }),
    match,
    failure: 'Reject',
  });
  const rows: [string, VersionPolicy, string | undefined, 'run' | 'reject'][] = [
    ['a worker without a defaultVersion runs every instance', policy(undefined, 'Strict'), '9.0', 'run'],
    [
      'CurrentOrOlder runs an instance from before versioning',
      policy('1.0', 'CurrentOrOlder'),
      undefined,
      'run',
    ],
    ['CurrentOrOlder runs its own version', policy('2.0', 'CurrentOrOlder'), '2.0', 'run'],
    ['CurrentOrOlder runs an older version', policy('2.0', 'CurrentOrOlder'), '1.0', 'run'],
    ['CurrentOrOlder leaves a newer version', policy('1.0', 'CurrentOrOlder'), '2.0', 'reject'],
    ['Strict leaves an older version', policy('2.0', 'Strict'), '1.0', 'reject'],
    ['None runs a newer version', policy('1.0', 'None'), '2.0', 'run'],
  ];
  for (const [rule, given, version, expected] of rows) {
    it(rule, () => assert.equal(versionVerdict(given, version), expected));
  }

  const comparisons: [string | undefined, string | undefined, number][] = [
    [undefined, '', 0],
    [undefined, '1.0', -1],
    ['1.0', '2.0', -1],
    ['1.10', '1.9', 1],
    ['1.0', '1.0.0', -1],
    ['10', '9', -1], // one number alone is not a System.Version: compared as text
    ['V1-Release', 'v1-release', 0],
  ];
  for (const [a, b, expected] of comparisons) {
    it(`compares ${String(a)} with ${String(b)} as the extension does`, () =>
      assert.equal(compareVersions(a, b), expected));
  }
});
