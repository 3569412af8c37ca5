import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSevereFault, wilsonLowerBound } from '../../src/domain/severeFault';
import type { WatchEvidence } from '../../src/domain/severeFault';

describe('the Wilson score lower bound', () => {
  // (2·25 + z² − 1 − z·√(z² − 2 − 1/50 + 4·0.5·(50·0.5 + 1))) / (2·(50 + z²)), z = Φ⁻¹(0.999) = 3.0902.
  it('matches the worked figure: 25 errors in 50 requests at 99.9% is 29.14% (with continuity correction)', () => {
    assert.ok(
      Math.abs(wilsonLowerBound(25, 50, 0.999) - 0.29141) < 1e-4,
      String(wilsonLowerBound(25, 50, 0.999)),
    );
  });
  it('is 0 with no errors, and 0 with no requests', () => {
    assert.equal(wilsonLowerBound(0, 500, 0.999), 0);
    assert.equal(wilsonLowerBound(0, 0, 0.999), 0);
  });
  it('rises toward the rate as requests grow', () => {
    const few = wilsonLowerBound(5, 100, 0.999);
    const many = wilsonLowerBound(500, 10_000, 0.999);
    assert.ok(few < many && many < 0.05, `${few} ${many}`);
  });
});

describe('whether the evidence so far is a severe fault', () => {
  const rule = { max5xxRate: 0.01, level: 0.999, minRequests: 50, probeFailuresInARow: 3 };
  const quiet: WatchEvidence = { requests: 0, http5xx: 0, probeFailuresInARow: 0 };
  const rows: { rule: string; evidence: WatchEvidence; severe: boolean }[] = [
    {
      rule: 'half of 60 requests failing is severe',
      evidence: { ...quiet, requests: 60, http5xx: 30 },
      severe: true,
    },
    {
      rule: 'every request failing below the minimum is not severe yet',
      evidence: { ...quiet, requests: 49, http5xx: 49 },
      severe: false,
    },
    {
      rule: 'a doubtful minute (2 of 60, 3.3%, over the 1% gate) is not severe',
      evidence: { ...quiet, requests: 60, http5xx: 2 },
      severe: false,
    },
    {
      rule: '3% of 2,000 requests is overwhelming evidence over a 1% gate',
      evidence: { ...quiet, requests: 2_000, http5xx: 60 },
      severe: true,
    },
    {
      rule: '1.5% of 2,000 requests is over the gate but not overwhelmingly',
      evidence: { ...quiet, requests: 2_000, http5xx: 30 },
      severe: false,
    },
    {
      rule: 'three probe rounds failing in a row are severe',
      evidence: { ...quiet, probeFailuresInARow: 3 },
      severe: true,
    },
    {
      rule: 'two probe rounds failing in a row are not',
      evidence: { ...quiet, probeFailuresInARow: 2 },
      severe: false,
    },
  ];
  for (const row of rows) {
    it(row.rule, () => assert.equal(judgeSevereFault(row.evidence, rule).severe, row.severe));
  }

  it('records the numbers behind a finding, the bound only from the minimum up', () => {
    const found = judgeSevereFault({ requests: 50, http5xx: 25, probeFailuresInARow: 1 }, rule);
    assert.equal(found.requests, 50);
    assert.equal(found.errors, 25);
    assert.equal(found.level, 0.999);
    assert.equal(found.probeFailuresInARow, 1);
    assert.ok(found.lowerBound !== undefined && found.lowerBound > 0.29);
    assert.match(
      found.reason,
      /25 of 50 requests failed; with 99\.9% confidence the 5xx rate is at least 29\.14%/,
    );
    assert.equal(judgeSevereFault({ ...quiet, requests: 10, http5xx: 10 }, rule).lowerBound, undefined);
  });

  it('a looser level finds the same counts severe that a strict one does not', () => {
    const evidence = { requests: 2_000, http5xx: 30, probeFailuresInARow: 0 };
    assert.equal(judgeSevereFault(evidence, { ...rule, level: 0.9 }).severe, true);
    assert.equal(judgeSevereFault(evidence, rule).severe, false);
  });
});
