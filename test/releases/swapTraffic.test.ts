import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'node:https';
import type { ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { rigRegistry, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

/** One user's request: when it started (sandbox time), where App Service's front end routed it, what served it. */
interface Sample {
  startedAt: number;
  routedTo: string | undefined;
  version: string | undefined;
}

describe('users around the swap that ends a canary', () => {
  let rig: ReleaseRig;
  const samples: Sample[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let sampling = true;
  let sampler: Promise<void> = Promise.resolve();

  before(async () => {
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [{ name: 'cafe', image: `${rigRegistry}/contoso/cafe:1.0.0` }],
      targets: [
        rigTarget('cafe', {
          // The last step sends every new user to the slot through the routing rule.
          canary: { steps: [50, 100], intervalMinutes: 1 },
          gates: { minRequests: 10, maxAverageResponseMs: 250, metricsSettleSeconds: 15 },
          bakeMinutes: 0,
        }),
      ],
    });
    const url = `https://${rig.siteNamed('cafe').hostName()}/`;
    sampler = (async () => {
      while (sampling) {
        await Promise.all(Array.from({ length: 4 }, () => sample(url)));
      }
    })();
  });

  after(async () => {
    sampling = false;
    await sampler;
    agent.destroy();
    await rig.stop();
  });

  /** A request as a new user sends it: no routing cookie, so the routing rules decide. */
  function sample(url: string): Promise<void> {
    const startedAt = rig.clock.now();
    return new Promise((resolve) => {
      const req = request(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const cookie = [res.headers['set-cookie'] ?? []].flat().join(';');
          const routedTo = /x-ms-routing-name=([^;]+)/.exec(cookie)?.[1];
          const version =
            res.statusCode === 200 ? (JSON.parse(body) as { version?: string }).version : undefined;
          samples.push({ startedAt, routedTo, version });
          resolve();
        });
      });
      req.once('error', () => resolve());
      req.end();
    });
  }

  it('no user reaches the old image through a routing rule, and after the swap every user gets the new one', async () => {
    const push = await rig.sandbox.registry.push('contoso/cafe:2.0.0');
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
    );
    const release = await waitFor(
      'the release to end',
      async () => {
        const list = await call(rig.url, '/api/targets/cafe/releases', { key: rig.functionKey });
        const [latest] = (list.body as { releases: (ReleaseStatus & { runtimeStatus: string })[] }).releases;
        return latest?.runtimeStatus === 'Completed' ? latest : undefined;
      },
      90_000,
    );
    assert.equal(release.outcome, 'succeeded', release.reason);
    const swapped = Date.parse(release.swap?.finishedAt ?? '');
    assert.ok(Number.isFinite(swapped), 'the release records when the swap finished');
    // A little more traffic after the swap, then stop looking.
    const enough = samples.length + 200;
    await waitFor('traffic after the swap', () =>
      Promise.resolve(samples.length >= enough ? true : undefined),
    );

    const throughRule = samples.filter((s) => s.routedTo === 'staging');
    assert.ok(
      throughRule.some((s) => s.version === '2.0.0'),
      'the canary sent users to the slot through its rule',
    );
    assert.deepEqual(
      throughRule.filter((s) => s.version === '1.0.0'),
      [],
      'no rule ever sent a user to the old image',
    );
    const afterSwap = samples.filter((s) => s.startedAt > swapped);
    assert.ok(afterSwap.length >= 100, `${afterSwap.length} requests after the swap`);
    assert.deepEqual(
      afterSwap.filter((s) => s.version !== '2.0.0'),
      [],
      'every user after the swap got the new image',
    );
  });
});
