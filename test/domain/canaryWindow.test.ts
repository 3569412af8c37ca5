import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeBakeWindow, judgeCanaryWindow } from '../../src/domain/canaryWindow';
import type { CanaryGates, Verdict, WindowCounts } from '../../src/domain/canaryWindow';

const gates: CanaryGates = {
  max5xxRate: 0.01,
  max5xxRateOverProduction: 0.005,
  maxAverageResponseMs: 800,
  maxResponseTimeRatioToProduction: 2,
  responseTimeRatioFloorMs: 100,
  minRequests: 100,
};
const counts = (requests: number, http5xx: number, averageMs?: number): WindowCounts => ({
  requests,
  http5xx,
  averageResponseSeconds: averageMs === undefined ? undefined : averageMs / 1000,
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
      rule: 'errors well over production’s fail even under the gate',
      slot: counts(1000, 8, 100),
      production: counts(10000, 0, 100),
      verdict: 'fail',
      reason: /more than 0\.50% over production’s 0\.00%/,
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
      rule: 'a quiet production is not compared with',
      slot: counts(1000, 8, 450),
      production: counts(10, 0, 100),
      verdict: 'pass',
      reason: /judged on the gates alone/,
    },
    {
      rule: 'no production metrics: judged on the gates alone',
      slot: counts(1000, 0, 100),
      production: undefined,
      verdict: 'pass',
      reason: /gates alone/,
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      const judgement = judgeCanaryWindow(r.slot, r.production, gates);
      assert.equal(judgement.verdict, r.verdict, judgement.reasons.join('; '));
      if (r.reason)
        assert.ok(
          judgement.reasons.some((reason) => r.reason?.test(reason)),
          judgement.reasons.join('; '),
        );
    });
  }

  it('reports the numbers behind the verdict', () => {
    const judgement = judgeCanaryWindow(counts(400, 4, 120), counts(3600, 18, 100), gates);
    assert.deepEqual(judgement.slot, { requests: 400, errorRate: 0.01, averageResponseMs: 120 });
    assert.deepEqual(judgement.production, { requests: 3600, errorRate: 0.005, averageResponseMs: 100 });
  });
});

describe('judging a bake window', () => {
  it('passes production within the gates, with nothing to compare it with and nothing to excuse', () => {
    const judgement = judgeBakeWindow(counts(500, 1, 120), gates);
    assert.equal(judgement.verdict, 'pass');
    assert.deepEqual(judgement.reasons, []);
    assert.equal(judgement.production, undefined);
  });

  it('fails production over a gate', () => {
    const judgement = judgeBakeWindow(counts(500, 50, 120), gates);
    assert.equal(judgement.verdict, 'fail');
    assert.match(judgement.reasons.join(' '), /5xx rate 10\.00% is over the 1\.00% gate/);
  });

  it('calls a quiet or unreadable window inconclusive, naming production', () => {
    assert.deepEqual(judgeBakeWindow(counts(3, 0, 50), gates).reasons, [
      'only 3 requests reached production; a window needs 100',
    ]);
    const unread = judgeBakeWindow(undefined, gates);
    assert.equal(unread.verdict, 'inconclusive');
    assert.deepEqual(unread.reasons, ['the metrics of production could not be read']);
  });
});
