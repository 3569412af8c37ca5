import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAfterWindow, freshTally } from '../../src/domain/canaryProgress';
import type { CanaryTally } from '../../src/domain/canaryProgress';
import type { Verdict } from '../../src/domain/canaryWindow';

describe('what follows a judged window', () => {
  const limits = { failureLimit: 2, inconclusiveLimit: 3 };
  const rows: { rule: string; tally: CanaryTally; verdict: Verdict; action: string; after: CanaryTally }[] = [
    { rule: 'a pass advances', tally: freshTally, verdict: 'pass', action: 'advance', after: freshTally },
    {
      rule: 'a pass ends a run of inconclusive windows',
      tally: { failedWindows: 1, inconclusiveInARow: 2 },
      verdict: 'pass',
      action: 'advance',
      after: { failedWindows: 1, inconclusiveInARow: 0 },
    },
    {
      rule: 'a failure under the limit repeats the step',
      tally: freshTally,
      verdict: 'fail',
      action: 'repeat',
      after: { failedWindows: 1, inconclusiveInARow: 0 },
    },
    {
      rule: 'the failure that reaches the limit rolls back',
      tally: { failedWindows: 1, inconclusiveInARow: 0 },
      verdict: 'fail',
      action: 'rollback',
      after: { failedWindows: 2, inconclusiveInARow: 0 },
    },
    {
      rule: 'failures count across steps',
      tally: { failedWindows: 1, inconclusiveInARow: 1 },
      verdict: 'fail',
      action: 'rollback',
      after: { failedWindows: 2, inconclusiveInARow: 0 },
    },
    {
      rule: 'an inconclusive window repeats the step',
      tally: freshTally,
      verdict: 'inconclusive',
      action: 'repeat',
      after: { failedWindows: 0, inconclusiveInARow: 1 },
    },
    {
      rule: 'the inconclusive window that reaches the limit rolls back',
      tally: { failedWindows: 0, inconclusiveInARow: 2 },
      verdict: 'inconclusive',
      action: 'rollback',
      after: { failedWindows: 0, inconclusiveInARow: 3 },
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      const step = decideAfterWindow(r.tally, r.verdict, limits);
      assert.equal(step.action, r.action);
      assert.deepEqual(step.tally, r.after);
    });
  }

  it('rolls back at the first failure when the limit is one', () => {
    assert.equal(
      decideAfterWindow(freshTally, 'fail', { failureLimit: 1, inconclusiveLimit: 3 }).action,
      'rollback',
    );
  });
});
