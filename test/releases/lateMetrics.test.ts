import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { releaseInstanceId } from '../../src/domain/releaseId';
import { siteResourceId } from '../../src/azure/siteRef';
import { rigRegistry, rigSite, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

interface WindowView {
  step: number;
  verdict: string;
  end: string;
  judgedAt: string;
  slot: { requests: number };
  production?: { requests: number };
}

interface ReleaseView {
  phase: string;
  runtimeStatus: string;
  outcome?: string;
  reason?: string;
  windows: WindowView[];
}

const production = siteResourceId(rigSite('web'));
const slot = siteResourceId(rigSite('web'), 'staging');
const intervalMinutes = 2;
/** Sandbox seconds after each minute before its metrics show, and how long Shepherd lets them settle. */
const metricsDelaySeconds = 30;
const settleSeconds = 45;

describe('a release when Azure Monitor’s metrics arrive late', () => {
  let rig: ReleaseRig;

  before(async () => {
    // One sandbox minute is two real seconds; a minute's counts show 30 sandbox seconds after it ends.
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      metricsDelaySeconds,
      sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
      targets: [
        rigTarget('web', {
          canary: { steps: [10, 50, 100], intervalMinutes },
          // The first failed window rolls back: the failing image's test is about when it is judged.
          gates: {
            minRequests: 10,
            maxAverageResponseMs: 250,
            metricsSettleSeconds: settleSeconds,
            failureLimit: 1,
          },
          bakeMinutes: intervalMinutes,
        }),
      ],
    });
    void rig.loadOn('web', 150);
  });

  after(() => rig.stop());

  async function released(tag: string, faults: Record<string, number> = {}): Promise<ReleaseView> {
    const push = await rig.sandbox.registry.push(`contoso/web:${tag}`, faults);
    const id = releaseInstanceId('web', push.digest);
    return waitFor(
      `the release of ${tag} to finish`,
      async () => {
        const res = await call(rig.url, `/api/releases/${encodeURIComponent(id)}`, { key: rig.functionKey });
        const view = res.status === 200 ? (res.body as ReleaseView) : undefined;
        return view?.runtimeStatus === 'Completed' ? view : undefined;
      },
      90_000,
    );
  }

  /** What the sandbox counted for a resource over a window, once every minute of it has arrived. */
  async function countedFor(resourceId: string, window: WindowView): Promise<number> {
    const end = Date.parse(window.end);
    await waitFor('the window’s last minute to arrive', () =>
      Promise.resolve(rig.clock.now() >= end + metricsDelaySeconds * 1000 ? true : undefined),
    );
    const start = end - intervalMinutes * 60_000;
    const metrics = rig.sandbox.server.context.metrics;
    return metrics.series(resourceId, 'Requests', start, end, end - start)[0]?.total ?? 0;
  }

  it('passes a healthy image on each window’s complete counts, read again once they have arrived', async () => {
    const release = await released('2.0.0');
    assert.equal(release.outcome, 'succeeded', release.reason);
    assert.deepEqual(
      release.windows.map((w) => [w.step, w.verdict]),
      [
        [1, 'pass'],
        [2, 'pass'],
        [3, 'pass'],
        [0, 'pass'],
      ],
    );
    for (const window of release.windows) {
      assert.ok(Date.parse(window.judgedAt) >= Date.parse(window.end) + settleSeconds * 1000);
      // Read at the window's end, its last minute would have been missing: the verdict came from all of
      // it. A canary step's counts leave out the watch's probes of the slot: one round (/health three
      // times, failFast.probesPerPath) every 5 s at most.
      const counted =
        (await countedFor(production, window)) + (window.step > 0 ? await countedFor(slot, window) : 0);
      const judged = window.slot.requests + (window.production?.requests ?? 0);
      const probesAtMost = window.step > 0 ? ((intervalMinutes * 60) / 5) * 3 : 0;
      assert.ok(
        judged <= counted && counted - judged <= probesAtMost,
        `window ${window.step} was judged on every user request it had: ${judged} of ${counted}`,
      );
      if (window.step === 0) assert.equal(judged, counted);
    }
  });

  it('rolls a failing image back at its window’s end, on the minutes that have arrived, without waiting for the rest', async () => {
    const release = await released('2.1.0', { errorRate: 0.5 });
    assert.equal(release.outcome, 'rolledBack', release.reason);
    const [failed] = release.windows;
    assert.ok(failed);
    assert.deepEqual([failed.step, failed.verdict], [1, 'fail']);
    assert.ok(Date.parse(failed.judgedAt) < Date.parse(failed.end) + metricsDelaySeconds * 1000);
    const slotCounted = await countedFor(slot, failed);
    assert.ok(
      failed.slot.requests > 0 && failed.slot.requests < slotCounted,
      `judged on ${failed.slot.requests} of the slot's ${slotCounted} requests: the first minute, not the last`,
    );
  });
});
