import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { WindowMetricsResult } from '../../src/activities/readWindowMetrics';
import type { WindowCounts } from '../../src/domain/canaryWindow';
import type { ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { ReleaseReplay, newImage, oldImage, pushOf, replayTarget } from '../support/releaseReplay';

/** The replay of the running test; each test makes its own. */
let replay: ReleaseReplay;
afterEach(() => replay.stop());

const counts = (requests: number, http5xx: number): WindowCounts => ({
  requests,
  http5xx,
  averageResponseSeconds: 0.08,
  responseSecondsByMinute: Array<number | null>(5).fill(0.08),
});

/**
 * Azure Monitor's answers for a release whose new image fails `afterSwap` of production's requests
 * once it is swapped in, and before that looks as healthy as production (0.4% on the slot, 0.49% in
 * production): a bad image that passes its canary by chance.
 */
function metricsOf(afterSwap: WindowCounts): (window: { start: string }) => WindowMetricsResult {
  return (window) =>
    replay.azure.swapsDone.some((swap) => swap.at <= Date.parse(window.start))
      ? { slot: counts(0, 0), production: afterSwap }
      : { slot: counts(500, 2), production: counts(4500, 22) };
}

async function release(
  fields: Record<string, unknown>,
  metrics: (window: { start: string }) => WindowMetricsResult,
): Promise<ReleaseStatus> {
  replay = new ReleaseReplay();
  replay.azure.metrics = metrics;
  return replay.finish(await replay.start(pushOf(replayTarget(fields))));
}

const bakeOf = (status: ReleaseStatus) => status.windows.find((w) => w.step === 0);

describe('the bake compares production with itself before the swap', () => {
  it('swaps back a bad image that passed its canary by chance, with the bound in the status and the trail', async () => {
    // 60 of 2,000 (3%) against the canary windows' 44 of 9,000 (0.49%): under the 4% gate, shown worse by far more than 0.5%.
    const status = await release({}, metricsOf(counts(2000, 60)));
    assert.deepEqual(
      status.windows.map((w) => [w.step, w.verdict]),
      [
        [1, 'pass'],
        [2, 'pass'],
        [3, 'pass'],
        [0, 'fail'],
      ],
    );
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.match(
      status.reason ?? '',
      /^production failed its bake: .*5xx rate 3\.00% is over the 0\.49% production had before the swap by at least 1\.90% \(95\.00% confidence\), more than the 0\.50% allowed/,
    );
    const bake = bakeOf(status);
    assert.deepEqual(bake?.comparison?.baseline, { requests: 9000, errorRate: 0.00489 });
    assert.equal(bake.comparison.excess5xxAtLeast, 0.01905);
    assert.deepEqual(bake.slot, { requests: 2000, errorRate: 0.03, averageResponseMs: 80 });
    assert.equal(replay.azure.production, oldImage, 'production swapped back to the previous image');
    assert.equal(replay.azure.swapsDone.length, 2);
    const note = replay.azure
      .trail()
      .find((e) => e.action === 'release.window' && e.detail.startsWith('bake'));
    assert.match(note?.detail ?? '', /\(95% confidence, before the swap\)\]$/);
  });

  it('keeps a healthy image: production at its old rate passes the bake against the canary windows', async () => {
    const status = await release({}, metricsOf(counts(2000, 10)));
    assert.equal(status.outcome, 'succeeded', status.reason);
    const bake = bakeOf(status);
    assert.equal(bake?.verdict, 'pass');
    assert.deepEqual(bake.comparison?.baseline, { requests: 9000, errorRate: 0.00489 });
    assert.ok((bake.comparison.excess5xxAtLeast ?? 1) < 0, String(bake.comparison.excess5xxAtLeast));
    assert.equal(replay.azure.production, newImage);
  });

  it('reads production’s minutes before the swap for a blue-green release and swaps back a worse image', async () => {
    const fields = { strategy: 'blueGreen', bakeMinutes: 10 };
    const status = await release(fields, (window) =>
      replay.azure.swapsDone.some((swap) => swap.at <= Date.parse(window.start))
        ? { slot: counts(0, 0), production: counts(2000, 60) }
        : { slot: counts(0, 0), production: counts(2000, 10) },
    );
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.match(status.reason ?? '', /is over the 0\.50% production had before the swap/);
    assert.deepEqual(bakeOf(status)?.comparison?.baseline, { requests: 2000, errorRate: 0.005 });
    // The bake's ten minutes, ending the settle time (120 s) before the swap was asked for, on a whole minute.
    const swapAskedAt = Date.parse(status.swap?.startedAt ?? '');
    const end = Math.floor((swapAskedAt - 120_000) / 60_000) * 60_000;
    const [before] = replay.azure.calls.filter((c) => c.name === 'readWindowMetrics');
    assert.deepEqual(
      [before?.input.start, before?.input.end],
      [new Date(end - 600_000).toISOString(), new Date(end).toISOString()],
    );
    assert.ok(before && before.at > swapAskedAt, 'read once the swap had started');
  });

  it('judges a blue-green bake on the gates alone when production’s minutes before the swap cannot be read, and says so', async () => {
    const status = await release({ strategy: 'blueGreen', bakeMinutes: 10 }, (window) =>
      replay.azure.swapsDone.some((swap) => swap.at <= Date.parse(window.start))
        ? { slot: counts(0, 0), production: counts(2000, 60) }
        : { error: 'Azure Monitor answered 503' },
    );
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.deepEqual(bakeOf(status)?.reasons, [
      'no counts of production before the swap to compare with; judged on the gates alone',
    ]);
  });

  it('finishes reading production’s minutes before the swap when an abort arrives meanwhile, then swaps back without judging', async () => {
    replay = new ReleaseReplay();
    replay.azure.metrics = () => ({ slot: counts(0, 0), production: counts(2000, 10) });
    // A blue-green release reads no metrics before its bake: the next read is the one before the swap.
    const gate = replay.azure.hold('readWindowMetrics');
    const id = await replay.start(pushOf(replayTarget({ strategy: 'blueGreen', bakeMinutes: 10 })));
    await replay.runUntil('the read of the minutes before the swap to be in flight', () => gate.entered);
    assert.equal(replay.azure.production, newImage, 'the swap had been done');
    const person = { by: 'ana@contoso.example', reason: 'checkout is slow' };
    await replay.abort(id, person);
    gate.release();
    const status = await replay.finish(id);

    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.deepEqual(status.abortedBy, person);
    assert.equal(replay.azure.production, oldImage, 'swapped back to the image before');
    assert.equal(bakeOf(status), undefined, 'no bake window was judged');
    assert.equal(replay.azure.callsOf('readWindowMetrics').length, 1);
  });
});
