import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stopChild } from '../../dev/childProcess';
import type { LocalSettings } from '../../dev/host/settings';
import { releaseInstanceId } from '../../src/domain/releaseId';
import type { ReleaseRig } from '../support/releaseRig';
import {
  killHost,
  rigReleaseView,
  startRigForHostProcesses,
  startRigHostProcess,
  untilFirstCanaryWindow,
} from '../support/rigHostProcess';
import { call, repoRoot, tempDir, waitFor } from '../support/testHost';

interface ReleaseView {
  runtimeStatus: string;
  phase: string;
  outcome?: string;
  reason?: string;
  windows: { step: number; trafficPercent: number; verdict: string }[];
}

/** The next Shepherd as a deploy would bring it: host.json's defaultVersion 2.0, and release flow 2.0. */
function nextShepherdApp(): string {
  const dir = tempDir('next-shepherd');
  const hostJson = JSON.parse(readFileSync(join(repoRoot, 'host.json'), 'utf8')) as {
    extensions: { durableTask: Record<string, string> };
  };
  hostJson.extensions.durableTask.defaultVersion = '2.0';
  writeFileSync(join(dir, 'host.json'), JSON.stringify(hostJson));
  const main = join(repoRoot, 'dist', 'test', 'nextVersion', 'index.js');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ main }));
  return dir;
}

describe('a deploy of a newer Shepherd while a release is in flight', () => {
  let rig: ReleaseRig;
  let host: ChildProcess | undefined;

  const startHost = (appDir: string): Promise<ChildProcess> => startRigHostProcess(rig, appDir);

  before(async () => {
    rig = await startRigForHostProcesses();
  });

  after(async () => {
    if (host) await stopChild(host);
    await rig.stop();
  });

  const releaseView = (releaseId: string): Promise<ReleaseView | undefined> =>
    rigReleaseView<ReleaseView>(rig, releaseId);

  /** The release's durable history, event types in order, through the extension's own status API. */
  async function historyOf(releaseId: string): Promise<string[]> {
    const settings = JSON.parse(readFileSync(rig.settingsFile, 'utf8')) as LocalSettings;
    const key = settings.Keys?.system.durabletask_extension ?? '';
    const res = await call(
      rig.url,
      `/runtime/webhooks/durabletask/instances/${encodeURIComponent(releaseId)}?showHistory=true&code=${key}`,
    );
    return ((res.body as { historyEvents?: { EventType: string }[] }).historyEvents ?? []).map(
      (e) => e.EventType,
    );
  }

  it('finishes the release on the flow it started with, and starts the next release on the new flow', async () => {
    host = await startHost(repoRoot);
    const first = await rig.sandbox.registry.push('contoso/web:2.0.0');
    const firstId = releaseInstanceId('web', first.digest);
    await untilFirstCanaryWindow(rig, firstId, 'the canary to pass its first step on Shepherd 1.0');
    // The deploy: the old worker goes, the new one (other release code, defaultVersion 2.0) comes up.
    await killHost(host);
    host = await startHost(nextShepherdApp());

    const finished = await waitFor(
      'the 1.0 release to finish on Shepherd 2.0',
      async () => {
        const view = await releaseView(firstId);
        return view && ['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus) ? view : undefined;
      },
      90_000,
    );
    assert.equal(finished.runtimeStatus, 'Completed', finished.reason);
    assert.equal(finished.outcome, 'succeeded', finished.reason);
    assert.deepEqual(
      finished.windows.map((w) => [w.step, w.trafficPercent, w.verdict]),
      [
        [1, 10, 'pass'],
        [2, 50, 'pass'],
        [3, 100, 'pass'],
        [0, 100, 'pass'],
      ],
    );
    assert.notEqual((await historyOf(firstId))[1], 'TimerCreated', 'the 1.0 release never took the 2.0 step');

    const second = await rig.sandbox.registry.push('contoso/web:3.0.0');
    const secondId = releaseInstanceId('web', second.digest);
    const history = await waitFor('the next release to start', async () => {
      const events = await historyOf(secondId).catch(() => []);
      return events.length >= 3 ? events : undefined;
    });
    assert.deepEqual(
      history.slice(0, 3),
      ['ExecutionStarted', 'TimerCreated', 'TimerFired'],
      'it runs flow 2.0',
    );
  });
});
