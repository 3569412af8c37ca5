import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { fitsCustomStatus } from '../../src/orchestrations/customStatusLimit';
import { watchLoopOrchestrator } from '../../src/functionNames';
import type { ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { doubtfulMetrics, failingMetrics, healthyMetrics } from '../support/fakeReleaseActivities';
import type { FakeReleaseAzure } from '../support/fakeReleaseActivities';
import { ReleaseReplay, oldImage, pushOf, replayTarget } from '../support/releaseReplay';

/** The replay of the running test; each test makes its own. */
let replay: ReleaseReplay;
afterEach(() => replay.stop());

/** A canary of 5-minute windows, as targets have by default. */
const fields = { canary: { steps: [10, 50, 100], intervalMinutes: 5 } };

async function release(arrange: (azure: FakeReleaseAzure) => void): Promise<ReleaseStatus> {
  replay = new ReleaseReplay();
  arrange(replay.azure);
  return replay.finish(await replay.start(pushOf(replayTarget(fields))));
}

/** When users first reached the slot, and when no rule sent any there any more. */
function exposure(): { from: number; to: number } {
  const changes = replay.azure.routingChanges;
  const from = changes.find((c) => c.share !== null)?.at;
  const to = [...changes].reverse().find((c) => c.share === null)?.at;
  assert.ok(from !== undefined && to !== undefined, 'traffic moved and was taken back');
  return { from, to };
}

describe('a canary step watched while it runs', () => {
  it('rolls back mid-window when the metrics so far show a severe fault, with the numbers in the status and the trail', async () => {
    const status = await release((azure) => (azure.metrics = () => failingMetrics));
    assert.equal(status.outcome, 'rolledBack', status.reason);
    const [window] = status.windows;
    const found = window?.severeFault;
    assert.ok(found, 'the window records the early verdict');
    const { from, to } = exposure();
    assert.ok(to < Date.parse(window.end), 'users left the slot before the window ended');
    assert.ok(to - from <= 3 * 60_000, `within the first minutes (${(to - from) / 1000} s)`);
    assert.equal(window.verdict, 'fail');
    assert.equal(found.requests, 500, 'the probes are left out of the slot’s counts');
    assert.equal(found.errors, 170);
    assert.equal(found.level, 0.999);
    assert.ok(found.lowerBound !== undefined && found.lowerBound > 0.01, String(found.lowerBound));
    assert.ok(found.probesSent > 0);
    assert.match(
      status.reason ?? '',
      /^step 1 \(10%\): severe fault: 170 of 500 requests failed; with 99\.9% confidence/,
    );
    const note = replay.azure.trail().find((e) => e.action === 'release.window');
    assert.match(
      note?.detail ?? '',
      /requests 500, 5xx 170, lower bound 0\.\d{4} at 0\.999, probe rounds failed in a row 0, probes sent \d+/,
    );
    assert.ok(fitsCustomStatus(status));
  });

  it('rolls back when the probes fail three rounds in a row, though the metrics look fine', async () => {
    let rounds = 0;
    const status = await release((azure) => {
      azure.probe = (checks) => {
        rounds += 1;
        return { sent: checks.length, http5xx: 1, failures: ['/ answered 500, expected 200'] };
      };
    });
    assert.equal(status.outcome, 'rolledBack', status.reason);
    const found = status.windows[0]?.severeFault;
    assert.equal(found?.probeFailuresInARow, 3);
    assert.equal(rounds, 3, 'the third failed round ended the watch');
    const { from, to } = exposure();
    assert.ok(to - from < 15_000, `users left the slot within three rounds (${(to - from) / 1000} s)`);
    assert.match(status.reason ?? '', /the slot failed 3 probe rounds in a row/);
  });

  it('does not roll back on two failed rounds followed by a good one', async () => {
    let rounds = 0;
    const status = await release((azure) => {
      azure.probe = (checks) => {
        rounds += 1;
        const failing = rounds % 3 !== 0;
        return { sent: checks.length, http5xx: failing ? 1 : 0, failures: failing ? ['/ answered 500'] : [] };
      };
    });
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.ok(status.windows.every((w) => w.severeFault === undefined));
  });

  it('leaves a doubtful step to its window’s end: no early rollback, the window fails as before', async () => {
    const status = await release((azure) => (azure.metrics = () => doubtfulMetrics));
    assert.equal(status.outcome, 'rolledBack', status.reason);
    const [window] = status.windows;
    assert.ok(window);
    assert.equal(window.severeFault, undefined);
    assert.equal(window.verdict, 'fail');
    assert.ok(Date.parse(window.judgedAt) >= Date.parse(window.end), 'judged at the window’s end');
    assert.ok(exposure().to >= Date.parse(window.end));
    assert.match(window.reasons.join('; '), /5xx rate 1\.60% is over production’s 0\.00% by at least 0\.83%/);
  });

  it('repeats a step after its first failed window and goes on when the repeat passes', async () => {
    // Reads that start within the first step's first window (the window's, and the watch's) are
    // doubtful; every later one is healthy.
    const status = await release(
      (azure) =>
        (azure.metrics = (window) => {
          const moved = azure.routingChanges[0]?.at ?? 0;
          const firstWindowEnd = Math.ceil(moved / 60_000) * 60_000 + 5 * 60_000;
          return Date.parse(window.start) < firstWindowEnd ? doubtfulMetrics : healthyMetrics;
        }),
    );
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.deepEqual(
      status.windows.map((w) => [w.step, w.trafficPercent, w.verdict]),
      [
        [1, 10, 'fail'],
        [1, 10, 'pass'],
        [2, 50, 'pass'],
        [3, 100, 'pass'],
        [0, 100, 'pass'],
      ],
    );
  });

  it('judges a healthy step at its window’s end as before, on the users’ requests alone', async () => {
    const status = await release((azure) => (azure.metrics = () => healthyMetrics));
    assert.equal(status.outcome, 'succeeded', status.reason);
    const canaryWindows = status.windows.filter((w) => w.step > 0);
    assert.deepEqual(
      canaryWindows.map((w) => [w.verdict, w.slot.requests, Date.parse(w.judgedAt) - Date.parse(w.end)]),
      [
        ['pass', 500, 120_000],
        ['pass', 500, 120_000],
        ['pass', 500, 120_000],
      ],
      'each window passed on its 500 user requests, read again once its metrics settled',
    );
    assert.ok(replay.azure.callsOf('probeSlot').length > 100, 'the slot was probed throughout');
    const [round] = replay.azure.callsOf('probeSlot');
    assert.deepEqual(
      (round?.input.checks as { path: string }[]).map((c) => c.path),
      ['/health', '/health', '/health', '/', '/', '/'],
      'each path three times a round (failFast.probesPerPath)',
    );
  });

  it('stops at once, and stops its watch, when an abort arrives while a probe round runs', async () => {
    replay = new ReleaseReplay();
    let rounds = 0;
    replay.azure.probe = (checks) => {
      rounds += 1;
      return { sent: checks.length, http5xx: 0, failures: [] };
    };
    const id = await replay.start(pushOf(replayTarget(fields)));
    await replay.runUntil('the watch to probe a few times', () => rounds >= 4);
    const gate = replay.azure.hold('probeSlot');
    await replay.runUntil('a probe round in flight', () => gate.entered);
    const abortedAt = replay.clock.now();
    await replay.abort(id, { by: 'ana', reason: 'customers report errors' });
    assert.equal(replay.azure.routing, null, 'no user is routed to the slot the moment the abort came');
    assert.equal(replay.azure.routingChanges.at(-1)?.at, abortedAt);
    gate.release();
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.equal(replay.azure.production, oldImage);
    const watch = replay.engine.list().find((s) => s.name === watchLoopOrchestrator);
    assert.equal(watch?.runtimeStatus, 'Completed');
    assert.deepEqual(watch.output, { stopped: true });
    assert.equal(replay.azure.callsOf('stopReleaseLoop').length, 1);
    const probesAfter = replay.azure.callsOf('probeSlot').filter((c) => c.at > abortedAt);
    assert.deepEqual(probesAfter, [], 'the watch probed no more');
  });
});

describe('the durable history of a release', () => {
  /**
   * Runs a default canary release with bake (3 steps of 5 minutes, a 10-minute bake) after `arrange`,
   * noting the largest history any instance had at any moment: the release's own, and each
   * generation of its loops.
   */
  async function measured(
    arrange: (azure: FakeReleaseAzure) => void = () => undefined,
  ): Promise<{ release: number; largestLoop: number; status: ReleaseStatus }> {
    replay = new ReleaseReplay();
    arrange(replay.azure);
    const counted = await replay.finishCountingHistory(await replay.start(pushOf(replayTarget())));
    return { release: counted.releaseEvents, largestLoop: counted.largestLoopEvents, status: counted.status };
  }

  it('stays within 200 events for a default 3-step canary with bake, its loops within 200 each', async () => {
    const { release: events, largestLoop, status } = await measured();
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.ok(events <= 200, `${events} events`);
    assert.ok(largestLoop > 0 && largestLoop <= 200, `${largestLoop} events in a loop's generation`);
  });

  it('does not grow with a long warm-up or a long wait in the queue', async () => {
    const quick = await measured();
    const start = Date.parse('2026-03-02T10:00:30Z');
    // Ten minutes behind an earlier release, then nine minutes of warming up.
    const leaves = start + 10 * 60_000;
    const slowStart = leaves + 9 * 60_000;
    const slow = await measured((azure) => {
      const healthy = azure.health;
      azure.health = (slot, wanted) =>
        replay.clock.now() < slowStart ? { healthy: false, detail: 'starting' } : healthy(slot, wanted);
      azure.place = { earlier: ['release:web:older'], later: [] };
      const look = azure.place;
      Object.defineProperty(azure, 'place', {
        get: () => (replay.clock.now() < leaves ? look : { earlier: [], later: [] }),
      });
    });
    assert.equal(slow.status.outcome, 'succeeded', slow.status.reason);
    assert.ok(
      replay.azure.callsOf('supersedeEarlierReleases').length > 100,
      'it waited in the queue, looking every 5 s',
    );
    assert.ok(
      replay.azure.callsOf('checkSlotHealth').length > 30,
      'it warmed up for minutes, looking every 15 s',
    );
    assert.ok(slow.release <= quick.release + 12, `${slow.release} events against ${quick.release}`);
    assert.ok(slow.largestLoop <= 200, `${slow.largestLoop} events in a loop's generation`);
  });
});
