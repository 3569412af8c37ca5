import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitToWidth, progressLine } from '../../src/cli/progressLine';
import { hasEnded, hasSucceeded } from '../../src/cli/releaseView';
import type { ReleaseView } from '../../src/cli/releaseView';

const base: ReleaseView = {
  id: 'release:web:abc',
  runtimeStatus: 'Running',
  target: 'web',
  image: 'acr.io/contoso/web:2.0.0',
};
const passed = {
  step: 1,
  trafficPercent: 10,
  verdict: 'pass',
  slot: { requests: 412, errorRate: 0.0012, averageResponseMs: 230.4 },
};

describe('progressLine', () => {
  const rows: [string, Partial<ReleaseView>, string][] = [
    [
      'names a phase in words',
      { phase: 'warmingUp', trafficPercent: 0 },
      'web contoso/web:2.0.0 · warming up',
    ],
    [
      'gives why the slot is not healthy yet while it warms up',
      { phase: 'warmingUp', warmUp: { detail: '/health answered 503' } },
      'web contoso/web:2.0.0 · warming up · /health answered 503',
    ],
    [
      'gives the traffic share and the latest window’s numbers during a canary',
      { phase: 'canary', trafficPercent: 50, windows: [passed], windowCount: 3 },
      'web contoso/web:2.0.0 · canary · slot traffic 50% · window 3 at 10%: pass (412 requests, 5xx 0.12%, 230 ms)',
    ],
    [
      'leaves out the numbers a window without requests does not have',
      {
        phase: 'canary',
        trafficPercent: 10,
        windows: [
          {
            ...passed,
            verdict: 'inconclusive',
            slot: { requests: 0, errorRate: null, averageResponseMs: null },
          },
        ],
      },
      'web contoso/web:2.0.0 · canary · slot traffic 10% · window 1 at 10%: inconclusive (0 requests)',
    ],
    [
      'says how to answer a release awaiting approval',
      { phase: 'awaitingApproval', trafficPercent: 0 },
      'web contoso/web:2.0.0 · awaiting approval · shepherd approve|reject release:web:abc --reason …',
    ],
    [
      'names the releases a queued one waits for',
      { phase: 'queued', waitingFor: ['release:web:old'] },
      'web contoso/web:2.0.0 · queued behind earlier releases · waiting for release:web:old',
    ],
    [
      'shows the release id before it has a status',
      { target: undefined, image: undefined },
      'release:web:abc · pending',
    ],
    [
      'gives the outcome and why once it has ended',
      { runtimeStatus: 'Completed', phase: 'done', outcome: 'rolledBack', reason: 'window 2 failed' },
      'web contoso/web:2.0.0 · rolledBack: window 2 failed',
    ],
    [
      'marks an urgent ending',
      { runtimeStatus: 'Completed', phase: 'done', outcome: 'rollbackFailed', urgent: true },
      'web contoso/web:2.0.0 · URGENT rollbackFailed',
    ],
    [
      'says an orchestration that failed ended without an outcome',
      { runtimeStatus: 'Failed' },
      'web contoso/web:2.0.0 · failed without an outcome',
    ],
  ];
  for (const [rule, fields, line] of rows)
    it(rule, () => assert.equal(progressLine({ ...base, ...fields }), line));
});

describe('hasEnded and hasSucceeded', () => {
  const rows: [string, Partial<ReleaseView>, boolean, boolean][] = [
    ['a running release has not ended', { runtimeStatus: 'Running' }, false, false],
    ['a pending release has not ended', { runtimeStatus: 'Pending' }, false, false],
    ['a completed release that succeeded', { runtimeStatus: 'Completed', outcome: 'succeeded' }, true, true],
    [
      'a completed release rolled back did not succeed',
      { runtimeStatus: 'Completed', outcome: 'rolledBack' },
      true,
      false,
    ],
    [
      'a terminated release did not succeed',
      { runtimeStatus: 'Terminated', outcome: 'succeeded' },
      true,
      false,
    ],
    ['a failed orchestration did not succeed', { runtimeStatus: 'Failed' }, true, false],
  ];
  for (const [rule, fields, ended, succeeded] of rows)
    it(rule, () => {
      const view = { ...base, ...fields };
      assert.deepEqual([hasEnded(view), hasSucceeded(view)], [ended, succeeded]);
    });
});

describe('fitToWidth', () => {
  it('leaves a line shorter than the terminal as it is', () => assert.equal(fitToWidth('abc', 4), 'abc'));
  it('cuts a line as wide as the terminal, ending it with an ellipsis', () =>
    assert.equal(fitToWidth('abcd', 4), 'ab…'));
  it('leaves a line alone when the width is not known', () =>
    assert.equal(fitToWidth('abcd', undefined), 'abcd'));
});
