import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeBakeWindow, judgeCanaryWindow, pooledCounts } from '../../src/domain/canaryWindow';
import type { CanaryGates, ProductionBaseline, Verdict, WindowCounts } from '../../src/domain/canaryWindow';

const gates: CanaryGates = {
  max5xxRate: 0.01,
  max5xxRateOverProduction: 0.005,
  maxAverageResponseMs: 800,
  maxResponseTimeRatioToProduction: 2,
  responseTimeRatioFloorMs: 100,
  minRequests: 100,
  comparisonConfidence: 0.95,
  minResponseTimeMinutes: 3,
};
/** A five-minute window whose minutes each average `averageMs`, or whose minutes are `minutesMs`. */
const counts = (
  requests: number,
  http5xx: number,
  averageMs?: number,
  minutesMs: (number | null)[] = Array<number | null>(5).fill(averageMs ?? null),
): WindowCounts => ({
  requests,
  http5xx,
  averageResponseSeconds: averageMs === undefined ? undefined : averageMs / 1000,
  responseSecondsByMinute: minutesMs.map((ms) => (ms === null ? null : ms / 1000)),
});
const sameWindow = (production: WindowCounts): ProductionBaseline => ({
  from: 'sameWindow',
  counts: production,
});

describe('judging a canary window', () => {
  const rows: {
    rule: string;
    slot: WindowCounts | undefined;
    production: WindowCounts | undefined;
    verdict: Verdict;
    reason?: RegExp;
  }[] = [
    {
      rule: 'metrics that could not be read are inconclusive',
      slot: undefined,
      production: counts(1000, 0, 100),
      verdict: 'inconclusive',
      reason: /could not be read/,
    },
    {
      rule: 'no requests is inconclusive, never a pass',
      slot: counts(0, 0),
      production: counts(1000, 0, 100),
      verdict: 'inconclusive',
      reason: /only 0 requests/,
    },
    {
      rule: 'one request short of the minimum is inconclusive',
      slot: counts(99, 0, 100),
      production: counts(1000, 0, 100),
      verdict: 'inconclusive',
      reason: /only 99 requests .* needs 100/,
    },
    {
      rule: 'exactly the minimum counts',
      slot: counts(100, 0, 100),
      production: counts(1000, 0, 100),
      verdict: 'pass',
    },
    {
      rule: 'a 5xx rate exactly at the gate passes',
      slot: counts(1000, 10, 100),
      production: counts(1000, 10, 100),
      verdict: 'pass',
    },
    {
      rule: 'a 5xx rate over the gate fails',
      slot: counts(1000, 11, 100),
      production: counts(1000, 11, 100),
      verdict: 'fail',
      reason: /5xx rate 1\.10% is over the 1\.00% gate/,
    },
    {
      rule: 'a 30% error rate fails',
      slot: counts(1000, 300, 100),
      production: counts(1000, 0, 100),
      verdict: 'fail',
      reason: /5xx rate 30\.00%/,
    },
    {
      // 10/1000 against 0/10000: the 95% one-sided bound of the excess is 0.560% (at z = 1.645 the
      // corrected Wilson lower bound of 10/1000 is 0.561%, the upper bound of 0/10000 0.036%:
      // 1.000% − 0 − √(0.439%² + 0.036%²) = 0.560%), above the 0.5% margin.
      rule: 'errors shown over production’s by more than the margin fail even at the gate',
      slot: counts(1000, 10, 100),
      production: counts(10000, 0, 100),
      verdict: 'fail',
      reason:
        /5xx rate 1\.00% is over production’s 0\.00% by at least 0\.56% \(95\.00% confidence\), more than the 0\.50% allowed/,
    },
    {
      // 8/1000 against 0/10000: 0.8% is 0.8 points over production, but the bound is 0.414%
      // (lower bound of 8/1000 0.415%: 0.800% − √(0.385%² + 0.036%²)): 8 errors in 1,000 could
      // come from a rate under 0.5% by chance.
      rule: 'errors over production’s by more than the margin, but not surely so, pass',
      slot: counts(1000, 8, 100),
      production: counts(10000, 0, 100),
      verdict: 'pass',
    },
    {
      // The example, 3 errors in 40 requests against production's 10 in 10,000. 40 requests
      // are under the 100 these gates need, so the window is inconclusive, whatever the errors say.
      rule: 'the issue’s 3 errors in 40 against 10 in 10,000 is inconclusive: 40 requests are under the minimum',
      slot: counts(40, 3, 100),
      production: counts(10000, 10, 100),
      verdict: 'inconclusive',
      reason: /only 40 requests reached the slot; a window needs 100/,
    },
    {
      rule: 'errors production has too are not the canary’s fault',
      slot: counts(1000, 8, 100),
      production: counts(10000, 60, 100),
      verdict: 'pass',
    },
    {
      rule: 'a slow slot fails the latency gate',
      slot: counts(1000, 0, 900),
      production: counts(1000, 0, 850),
      verdict: 'fail',
      reason: /average response 900 ms is over the 800 ms gate/,
    },
    {
      rule: 'latency exactly at the gate passes',
      slot: counts(1000, 0, 800),
      production: counts(1000, 0, 500),
      verdict: 'pass',
    },
    {
      rule: 'twice as slow as production fails the ratio',
      slot: counts(1000, 0, 450),
      production: counts(1000, 0, 200),
      verdict: 'fail',
      reason: /2\.3× production’s/,
    },
    {
      rule: 'a few milliseconds against fewer is noise, not a regression',
      slot: counts(1000, 0, 9),
      production: counts(1000, 0, 3),
      verdict: 'pass',
    },
    {
      rule: 'the ratio counts from the floor up',
      slot: counts(1000, 0, 100),
      production: counts(1000, 0, 40),
      verdict: 'fail',
      reason: /2\.5× production’s/,
    },
    {
      rule: 'a quiet production leaves the window inconclusive, never a pass',
      slot: counts(1000, 8, 90),
      production: counts(10, 0, 100),
      verdict: 'inconclusive',
      reason: /only 10 requests reached production; comparing 5xx rates needs 100 on each side/,
    },
    {
      rule: 'a failure stands when production is too quiet to compare with',
      slot: counts(1000, 300, 100),
      production: counts(10, 0, 100),
      verdict: 'fail',
      reason: /5xx rate 30\.00% is over the 1\.00% gate/,
    },
    {
      rule: 'production serving no users (the slot has them all): judged on the gates alone',
      slot: counts(1000, 0, 100),
      production: undefined,
      verdict: 'pass',
      reason: /production served no users in this window; judged on the gates alone/,
    },
    {
      // Per-minute ratios 1.5, 1.5, 9, 1.5, 1.5: the median is 1.5, under the 2× limit.
      rule: 'one slow minute does not fail the comparison of response times',
      slot: counts(1000, 0, 300, [150, 150, 900, 150, 150]),
      production: counts(1000, 0, 100, [100, 100, 100, 100, 100]),
      verdict: 'pass',
    },
    {
      // Per-minute ratios 1.5, 2.5, 3, 2.5, 1.5: the median is 2.5.
      rule: 'a slot slower than twice production in most minutes fails',
      slot: counts(1000, 0, 240, [150, 250, 300, 250, 150]),
      production: counts(1000, 0, 100, [100, 100, 100, 100, 100]),
      verdict: 'fail',
      reason: /response time is 2\.5× production’s \(median of 5 minutes; limit 2×\)/,
    },
    {
      rule: 'response times in fewer minutes than the minimum on both sides are inconclusive',
      slot: counts(1000, 0, 300, [300, 300, null, null, 300]),
      production: counts(1000, 0, 100, [100, null, 100, null, null]),
      verdict: 'inconclusive',
      reason: /only 1 minutes had response times on both sides; comparing them needs 3/,
    },
    {
      rule: 'a window shorter than the minimum compares every minute it has',
      slot: counts(1000, 0, 300, [300]),
      production: counts(1000, 0, 100, [100]),
      verdict: 'fail',
      reason: /3\.0× production’s \(median of 1 minutes/,
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      const judgement = judgeCanaryWindow(r.slot, r.production && sameWindow(r.production), gates);
      assert.equal(judgement.verdict, r.verdict, judgement.reasons.join('; '));
      if (r.reason)
        assert.ok(
          judgement.reasons.some((reason) => r.reason?.test(reason)),
          judgement.reasons.join('; '),
        );
    });
  }

  it('reports the numbers behind the verdict, with the bound and the ratio of the comparison', () => {
    const judgement = judgeCanaryWindow(counts(400, 4, 120), sameWindow(counts(3600, 18, 100)), gates);
    assert.deepEqual(judgement.slot, { requests: 400, errorRate: 0.01, averageResponseMs: 120 });
    assert.deepEqual(judgement.production, { requests: 3600, errorRate: 0.005, averageResponseMs: 100 });
    // 1.0% − 0.5% − √((1.0% − 0.373%)² + (0.750% − 0.5%)²) = −0.175%: nothing shows the slot worse.
    assert.deepEqual(judgement.comparison, {
      confidence: 0.95,
      excess5xxAtLeast: -0.00175,
      responseTimeRatio: 1.2,
      responseTimeMinutes: 5,
    });
  });

  it('fails the issue’s 3 errors in 40 against 10 in 10,000 once 40 requests are enough: the bound is 2.23%', () => {
    // Slot 3/40 = 7.5%, corrected Wilson lower bound at z = 1.645: 2.33%. Production 10/10,000 =
    // 0.1%, upper bound 0.173%. Excess at least 7.5% − 0.1% − √((7.5% − 2.33%)² + (0.173% − 0.1%)²)
    // = 2.23%, well over the 0.5% margin: with 95% confidence the slot is worse than production allows.
    const judgement = judgeCanaryWindow(counts(40, 3), sameWindow(counts(10000, 10)), {
      ...gates,
      minRequests: 40,
    });
    assert.equal(judgement.verdict, 'fail');
    assert.equal(judgement.comparison?.excess5xxAtLeast, 0.02228);
    assert.ok(
      judgement.reasons.some((r) => /by at least 2\.23%/.test(r)),
      judgement.reasons.join('; '),
    );
  });
});

describe('judging a window in which the slot carries every user', () => {
  const earlier = pooledCounts(pooledCounts(undefined, counts(900, 5, 120)), counts(500, 2, 120));

  it('pools production’s earlier windows: their totals only', () => {
    assert.deepEqual(earlier, {
      requests: 1400,
      http5xx: 7,
      averageResponseSeconds: undefined,
      responseSecondsByMinute: [],
    });
  });

  it('fails a slot shown worse than production was in the release’s earlier windows', () => {
    // 30/1000 against 7/1400: the bound of the excess is 1.56%, over the 0.5% margin.
    const judgement = judgeCanaryWindow(
      counts(1000, 30, 400),
      { from: 'earlierWindows', counts: earlier, thisWindow: counts(3, 0, 90) },
      {
        ...gates,
        max5xxRate: 0.05,
      },
    );
    assert.equal(judgement.verdict, 'fail');
    assert.match(judgement.reasons.join(' '), /over production’s earlier 0\.50% by at least 1\.56%/);
    assert.deepEqual(judgement.comparison?.baseline, { requests: 1400, errorRate: 0.005 });
    assert.deepEqual(
      judgement.production,
      { requests: 3, errorRate: 0, averageResponseMs: 90 },
      'production as it was in this window',
    );
  });

  it('does not compare response times with other minutes than the slot’s', () => {
    const judgement = judgeCanaryWindow(
      counts(1000, 5, 400),
      { from: 'earlierWindows', counts: earlier, thisWindow: counts(3, 0, 90) },
      gates,
    );
    assert.equal(judgement.verdict, 'pass', judgement.reasons.join('; '));
    assert.equal(judgement.comparison?.responseTimeRatio, undefined);
  });
});

describe('judging a bake window', () => {
  /** Production's counts over a release's canary windows, while it ran the previous image: 0.5% 5xx. */
  const beforeSwap = counts(1400, 7);
  const lenient = { ...gates, max5xxRate: 0.04 };
  const rows: {
    rule: string;
    production: WindowCounts | undefined;
    beforeSwap: WindowCounts | undefined;
    verdict: Verdict;
    reasons: RegExp;
    excess5xxAtLeast?: number;
  }[] = [
    {
      // 60/2000 against 7/1400: 3.0% − 0.5% − √((3.0% − 2.33%)² + (1.06% − 0.5%)²) ≈ 1.75%, over the 0.5% margin.
      rule: 'an image shown worse than production was before the swap fails, though under the 5xx gate',
      production: counts(2000, 60, 120),
      beforeSwap,
      verdict: 'fail',
      reasons:
        /^5xx rate 3\.00% is over the 0\.50% production had before the swap by at least 1\.75% \(95\.00% confidence\), more than the 0\.50% allowed$/,
      excess5xxAtLeast: 0.01749,
    },
    {
      // 30/2000 against 7/1400: 1.5% is a point over, but the bound is 0.38%, under the margin.
      rule: 'an image not shown worse by more than the margin passes',
      production: counts(2000, 30, 120),
      beforeSwap,
      verdict: 'pass',
      reasons: /^$/,
      excess5xxAtLeast: 0.00381,
    },
    {
      rule: 'a healthy image passes, with the bound of its excess in the numbers',
      production: counts(2000, 10, 120),
      beforeSwap,
      verdict: 'pass',
      reasons: /^$/,
      excess5xxAtLeast: -0.00515,
    },
    {
      rule: 'without counts from before the swap, production is judged on the gates alone, and the pass says so',
      production: counts(2000, 60, 120),
      beforeSwap: undefined,
      verdict: 'pass',
      reasons: /^no counts of production before the swap to compare with; judged on the gates alone$/,
    },
    {
      rule: 'counts from before the swap under the minimum are not compared with: the gates alone',
      production: counts(2000, 60, 120),
      beforeSwap: counts(99, 0),
      verdict: 'pass',
      reasons:
        /^production served only 99 requests before the swap, too few to compare with; judged on the gates alone$/,
    },
    {
      rule: 'a failed gate stands beside the comparison',
      production: counts(2000, 100, 1200),
      beforeSwap,
      verdict: 'fail',
      reasons:
        /^5xx rate 5\.00% is over the 4\.00% gate; average response 1200 ms is over the 800 ms gate; 5xx rate 5\.00% is over the 0\.50% production had/,
      excess5xxAtLeast: 0.03604,
    },
    {
      rule: 'a quiet window is inconclusive, naming production',
      production: counts(3, 0, 50),
      beforeSwap,
      verdict: 'inconclusive',
      reasons: /^only 3 requests reached production; a window needs 100$/,
    },
    {
      rule: 'an unreadable window is inconclusive',
      production: undefined,
      beforeSwap,
      verdict: 'inconclusive',
      reasons: /^the metrics of production could not be read$/,
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      const judgement = judgeBakeWindow(r.production, r.beforeSwap, lenient);
      assert.equal(judgement.verdict, r.verdict, judgement.reasons.join('; '));
      assert.match(judgement.reasons.join('; '), r.reasons);
      assert.equal(judgement.comparison?.excess5xxAtLeast, r.excess5xxAtLeast);
      assert.equal(judgement.production, undefined, 'production is the subject, in `slot`');
    });
  }

  it('shows the counts it compared with as the baseline, and production’s own numbers as the subject’s', () => {
    const judgement = judgeBakeWindow(counts(2000, 10, 120), beforeSwap, lenient);
    assert.deepEqual(judgement.slot, { requests: 2000, errorRate: 0.005, averageResponseMs: 120 });
    assert.deepEqual(judgement.comparison, {
      confidence: 0.95,
      baseline: { requests: 1400, errorRate: 0.005 },
      excess5xxAtLeast: -0.00515,
      responseTimeMinutes: 0,
    });
  });
});
