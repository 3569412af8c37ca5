import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { stopChild } from '../../dev/childProcess';
import { releaseInstanceId } from '../../src/domain/releaseId';
import { httpsGetter } from '../support/https';
import type { ReleaseRig } from '../support/releaseRig';
import {
  killHost,
  rigReleaseView,
  startRigForHostProcesses,
  startRigHostProcess,
  untilFirstCanaryWindow,
} from '../support/rigHostProcess';
import { repoRoot, waitFor } from '../support/testHost';

interface ReleaseView {
  runtimeStatus: string;
  phase: string;
  outcome?: string;
  reason?: string;
  windows: { step: number; trafficPercent: number; verdict: string; end: string }[];
}

describe('a release when the host is killed in the middle of its canary', () => {
  const http = httpsGetter();
  let rig: ReleaseRig;
  let host: ChildProcess | undefined;

  const startHost = (): Promise<ChildProcess> => startRigHostProcess(rig, repoRoot);

  before(async () => {
    rig = await startRigForHostProcesses();
  });

  after(async () => {
    http.close();
    if (host) await stopChild(host);
    await rig.stop();
  });

  function productionHost(): string {
    return rig.siteNamed('web').hostName();
  }

  const releaseView = (releaseId: string): Promise<ReleaseView | undefined> =>
    rigReleaseView<ReleaseView>(rig, releaseId);

  it('resumes from its history on the next host and finishes correctly', async () => {
    host = await startHost();
    const push = await rig.sandbox.registry.push('contoso/web:2.0.0');
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
    );
    const releaseId = releaseInstanceId('web', push.digest);
    await untilFirstCanaryWindow(rig, releaseId, 'the canary to pass its first step');
    await killHost(host);
    const killedAt = rig.clock.now();
    host = await startHost();

    const release = await waitFor(
      'the release to finish on the new host',
      async () => {
        const view = await releaseView(releaseId);
        return view?.runtimeStatus === 'Completed' ? view : undefined;
      },
      90_000,
    );
    assert.equal(release.runtimeStatus, 'Completed');
    assert.equal(release.outcome, 'succeeded', release.reason);
    assert.deepEqual(
      release.windows.map((w) => [w.step, w.trafficPercent, w.verdict]),
      [
        [1, 10, 'pass'],
        [2, 50, 'pass'],
        [3, 100, 'pass'],
        [0, 100, 'pass'],
      ],
      'every step judged once, none repeated or skipped by the restart',
    );
    assert.ok(
      release.windows.some((w) => Date.parse(w.end) > killedAt),
      'windows were judged after the restart',
    );
    const res = await http.get(`https://${productionHost()}/?x-ms-routing-name=self`);
    assert.equal((JSON.parse(res.body) as { version: string }).version, '2.0.0');
    assert.deepEqual(rig.siteNamed('web').rules(), []);
  });
});
