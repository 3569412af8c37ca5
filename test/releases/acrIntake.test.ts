import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { deliverAcrPush, rigRegistry, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call } from '../support/testHost';

describe('the ACR webhook under a burst of deliveries', () => {
  let rig: ReleaseRig;

  before(async () => {
    rig = await startReleaseRig({
      secondsPerMinute: 60,
      sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
      targets: [rigTarget('web', { approval: { required: true } })],
    });
  });
  after(() => rig.stop());

  function deliver(repository: string, digest: string) {
    return deliverAcrPush(rig, { repository, digest, tag: '2.0.0' });
  }

  it('starts one release for thirty repeats of a push delivered at once, and none for pushes no target follows', async () => {
    const push = await rig.sandbox.registry.push('contoso/web:2.0.0');
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0
          ? deliver('contoso/web', push.digest)
          : deliver(`unfollowed/app-${String(i)}`, `sha256:${randomBytes(32).toString('hex')}`),
      ),
    );
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([202]));
    const outcomes = answers.flatMap((a) => (a.body as { releases?: { outcome: string }[] }).releases ?? []);
    assert.deepEqual(
      new Set(outcomes.map((o) => o.outcome)),
      new Set(['duplicate']),
      'the registry delivery started it',
    );
    const listed = await call(rig.url, '/api/targets/web/releases', { key: rig.functionKey });
    const releases = (listed.body as { releases: unknown[] }).releases;
    assert.equal(releases.filter((r) => JSON.stringify(r).includes(push.digest)).length, 1);
    assert.equal(releases.length, 1, 'no unfollowed push started anything');
  });
});
