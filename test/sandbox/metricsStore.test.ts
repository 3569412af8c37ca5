import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import { MetricsStore } from '../../dev/sandbox/metrics';

const site = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/web';
const start = Date.parse('2026-04-01T10:00:00Z');
const minute = 60_000;

/** Requests counted for the site over the two minutes from `start`, as one total. */
function requestsSeen(metrics: MetricsStore): number {
  return metrics.series(site, 'Requests', start, start + 2 * minute, 2 * minute)[0]?.total ?? -1;
}

describe('the sandbox metrics store', () => {
  it('shows a minute’s counts at once when it has no delay, the current minute included', async () => {
    const clock = new VirtualClock(start);
    const metrics = new MetricsStore(clock);
    metrics.record(site, 200, 10);
    await clock.advance(minute);
    metrics.record(site, 500, 10);
    assert.equal(requestsSeen(metrics), 2);
  });

  it('shows a minute’s counts only once the delay has passed after that minute ended, as Azure Monitor’s arrive', async () => {
    const clock = new VirtualClock(start);
    const metrics = new MetricsStore(clock, 30_000);
    metrics.record(site, 200, 10);
    await clock.advance(minute);
    metrics.record(site, 500, 10);
    metrics.record(site, 200, 10);
    assert.equal(requestsSeen(metrics), 0, 'the first minute has just ended');
    await clock.advance(30_000);
    assert.equal(requestsSeen(metrics), 1, 'the first minute has arrived, the second has not ended');
    await clock.advance(minute);
    assert.equal(requestsSeen(metrics), 3, 'both minutes have arrived');
  });
});
