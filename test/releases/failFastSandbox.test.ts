import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { releaseInstanceId } from '../../src/domain/releaseId';
import { rigRegistry, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

interface ReleaseView {
  runtimeStatus: string;
  outcome?: string;
  reason?: string;
  windows: {
    step: number;
    end: string;
    severeFault?: { requests: number; errors: number; lowerBound?: number };
  }[];
}

const intervalMinutes = 5;

describe('fail fast in the sandbox', () => {
  let rig: ReleaseRig;

  before(async () => {
    // Ten real seconds per sandbox minute; metrics a minute late, as `npm start` has them.
    rig = await startReleaseRig({
      secondsPerMinute: 10,
      metricsDelaySeconds: 60,
      sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
      targets: [rigTarget('web', { canary: { steps: [10, 50, 100], intervalMinutes } })],
    });
    void rig.loadOn('web', 100);
  });

  after(() => rig.stop());

  it('rolls an image failing half its requests back well before its 5-minute window ends', async () => {
    const site = rig.siteNamed('web');
    const push = await rig.sandbox.registry.push('contoso/web:9.0.0', { errorRate: 0.5 });
    const id = releaseInstanceId('web', push.digest);
    await waitFor(
      'the canary share',
      () => Promise.resolve(site.rules().length > 0 ? true : undefined),
      120_000,
    );
    const routedAt = rig.clock.now();
    await waitFor(
      'traffic to leave the slot',
      () => Promise.resolve(site.rules().length === 0 ? true : undefined),
      120_000,
    );
    const clearedAt = rig.clock.now();
    const view = await waitFor(
      'the release to end',
      async () => {
        const res = await call(rig.url, `/api/releases/${encodeURIComponent(id)}`, { key: rig.functionKey });
        const body = res.body as ReleaseView;
        return body.runtimeStatus === 'Completed' ? body : undefined;
      },
      60_000,
    );
    assert.equal(view.outcome, 'rolledBack', view.reason);
    const [window] = view.windows;
    assert.ok(window?.severeFault, `an early verdict: ${view.reason ?? ''}`);
    assert.ok(window.severeFault.errors > 0 && window.severeFault.requests >= 50);
    const beforeEnd = Date.parse(window.end) - clearedAt;
    assert.ok(beforeEnd >= 2 * 60_000, `users left the slot ${beforeEnd / 1000} s before the window’s end`);
    assert.ok(clearedAt - routedAt < 3.5 * 60_000, `after ${(clearedAt - routedAt) / 1000} s on the slot`);
  });
});
