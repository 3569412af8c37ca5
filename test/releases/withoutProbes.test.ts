import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutProbes } from '../../src/orchestrations/release/watch';

const minute = 60_000;
const start = Date.parse('2026-11-30T10:00:00Z');
const probes = [
  { minute: start, sent: 36, http5xx: 3 },
  { minute: start + minute, sent: 36, http5xx: 0 },
];

describe('the slot’s counts without the watch’s probes', () => {
  it('leaves out the probes of every minute Azure Monitor has reported', () => {
    const counts = {
      requests: 172,
      http5xx: 5,
      averageResponseSeconds: 0.01,
      responseSecondsByMinute: [0.01, 0.01],
    };
    const users = withoutProbes(counts, probes, start, start + 2 * minute);
    assert.deepEqual([users.requests, users.http5xx], [100, 2]);
  });

  it('leaves the probes of a minute not reported yet in place: they are not in the counts either', () => {
    const counts = {
      requests: 86,
      http5xx: 5,
      averageResponseSeconds: 0.01,
      responseSecondsByMinute: [0.01, null],
    };
    const users = withoutProbes(counts, probes, start, start + 2 * minute);
    assert.deepEqual([users.requests, users.http5xx], [50, 2]);
  });
});
