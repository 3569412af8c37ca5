import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TargetOverview } from '../../src/targetOverview';
import { rigRegistry, rigSite, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

describe('GET /api/targets, on the local host and the sandbox', () => {
  let rig: ReleaseRig;
  const startImage = `${rigRegistry}/contoso/web:1.0.0`;

  before(async () => {
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [
        { name: 'web', image: startImage },
        { name: 'api', image: `${rigRegistry}/contoso/api:1.0.0` },
      ],
      targets: [
        rigTarget('web', {
          strategy: 'blueGreen',
          approval: { required: true, timeoutMinutes: 30 },
          bakeMinutes: 0,
        }),
        rigTarget('api', { environment: 'staging' }),
        // Its site is in no subscription the sandbox knows: every read of it fails.
        rigTarget('ghost', { environment: 'staging' }),
      ],
    });
  });
  after(() => rig.stop());

  async function targets(): Promise<TargetOverview[]> {
    const res = await call(rig.url, '/api/targets', { key: rig.functionKey });
    assert.equal(res.status, 200, res.text);
    return (res.body as { targets: TargetOverview[] }).targets;
  }

  function named(all: TargetOverview[], name: string): TargetOverview {
    const found = all.find((t) => t.name === name);
    assert.ok(found, `target ${name} is listed`);
    return found;
  }

  it('refuses a caller without the function key, with nothing about the targets', async () => {
    const res = await call(rig.url, '/api/targets');
    assert.equal(res.status, 401);
    assert.doesNotMatch(res.text, /web|contoso/);
  });

  it('lists every target in the file’s order with its settings and what production runs', async () => {
    const all = await targets();
    assert.deepEqual(
      all.map((t) => [t.name, t.environment, t.strategy, t.approvalRequired, t.repository]),
      [
        ['web', 'production', 'blueGreen', true, `${rigRegistry}/contoso/web`],
        ['api', 'staging', 'canary', false, `${rigRegistry}/contoso/api`],
        ['ghost', 'staging', 'canary', false, `${rigRegistry}/contoso/ghost`],
      ],
    );
    const web = named(all, 'web');
    assert.deepEqual(web.site, { ...rigSite('web'), slot: 'staging' });
    assert.equal(web.production, startImage);
    assert.deepEqual([web.knownGood, web.freezes, web.release, web.unknown], [{}, [], null, undefined]);
  });

  it('shows a site it cannot read as unknown, with the reason, and the other targets all the same', async () => {
    const all = await targets();
    const ghost = named(all, 'ghost');
    assert.deepEqual(Object.keys(ghost.unknown ?? {}).sort(), ['knownGood', 'production', 'slot']);
    assert.match(ghost.unknown?.production ?? '', /^read the image of ghost failed \(404/);
    assert.match(ghost.unknown?.slot ?? '', /^read the image of ghost\/staging failed \(404/);
    assert.equal('production' in ghost, false, 'an unread image is left out, not shown as none');
    assert.deepEqual([ghost.freezes, ghost.release], [[], null]);
    assert.equal(named(all, 'api').production, `${rigRegistry}/contoso/api:1.0.0`);
  });

  let releaseId: string;
  let releasedImage: string;

  it('shows a release that waits for approval: its id, phase, traffic share and the slot’s new image', async () => {
    const push = await rig.sandbox.registry.push('contoso/web:2.0.0');
    const web = await waitFor(
      'the release to wait for approval',
      async () => {
        const found = named(await targets(), 'web');
        return found.release?.phase === 'awaitingApproval' ? found : undefined;
      },
      90_000,
    );
    assert.ok(web.release);
    releaseId = web.release.id;
    releasedImage = web.release.image;
    assert.match(releasedImage, new RegExp(`contoso/web:2\\.0\\.0@${push.digest}$`));
    assert.deepEqual([web.release.kind, web.release.trafficPercent, web.release.alsoActive], ['push', 0, []]);
    assert.equal(web.slot, releasedImage);
    assert.equal(web.production, startImage);
  });

  it('shows the released image in production and as known good once the release has succeeded', async () => {
    const approved = await call(rig.url, `/api/releases/${encodeURIComponent(releaseId)}/approve`, {
      method: 'POST',
      key: rig.functionKey,
    });
    assert.equal(approved.status, 202, approved.text);
    const web = await waitFor(
      'the release to end',
      async () => {
        const found = named(await targets(), 'web');
        return found.release === null ? found : undefined;
      },
      90_000,
    );
    assert.equal(web.production, releasedImage);
    assert.deepEqual(web.knownGood, { latest: releasedImage, before: startImage });
  });

  it('shows an environment’s freeze on each of its targets, and on no other', async () => {
    const frozen = await call(rig.url, '/api/environments/staging/freeze', {
      method: 'PUT',
      key: rig.functionKey,
      body: { reason: 'load test in staging' },
    });
    assert.equal(frozen.status, 201, frozen.text);
    const all = await targets();
    for (const name of ['api', 'ghost'])
      assert.deepEqual(
        named(all, name).freezes?.map((f) => [f.holds, f.source, f.reason, f.by]),
        [
          [
            'the staging environment',
            'manual',
            'load test in staging',
            { kind: 'person', name: 'a holder of the function key' },
          ],
        ],
        name,
      );
    assert.deepEqual(named(all, 'web').freezes, []);
  });

  it('shows the freezes as unknown when their store is out of reach, and still lists what runs', async () => {
    await rig.azurite.stop();
    const all = await targets();
    for (const target of all) {
      assert.equal(target.unknown?.freezes, 'the freeze store could not be read; try again', target.name);
      assert.equal('freezes' in target, false);
    }
    assert.equal(named(all, 'web').production, releasedImage);
  });
});
