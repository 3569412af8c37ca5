import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releaseNotice } from '../../src/orchestrations/releaseNotice';
import type { ReleaseStatus } from '../../src/orchestrations/releaseModel';

const base: ReleaseStatus = {
  releaseId: 'release:web:abc',
  kind: 'push',
  target: 'web',
  image: 'reg.azurecr.io/web:2.0.0@sha256:aa',
  previousImage: 'reg.azurecr.io/web:1.0.0',
  phase: 'done',
  trafficPercent: 0,
  windows: [],
};

describe('release notices', () => {
  it('say how a release ended, and why', () => {
    const notice = releaseNotice({
      ...base,
      outcome: 'rolledBack',
      reason: 'step 1 (10%): 5xx rate over the gate',
    });
    assert.equal(
      notice.text,
      'web: reg.azurecr.io/web:2.0.0@sha256:aa was rolled back: step 1 (10%): 5xx rate over the gate.',
    );
    assert.deepEqual(notice.release, {
      releaseId: 'release:web:abc',
      target: 'web',
      image: base.image,
      phase: 'done',
      outcome: 'rolledBack',
      reason: 'step 1 (10%): 5xx rate over the gate',
    });
  });

  it('tell people how to answer a release that waits for them', () => {
    const notice = releaseNotice({ ...base, phase: 'awaitingApproval' });
    assert.match(
      notice.text,
      /waits for approval \(POST \/api\/releases\/release:web:abc\/approve or \/reject\)/,
    );
  });

  it('name a rollback as one, before it has chosen its image', () => {
    const notice = releaseNotice({
      ...base,
      kind: 'rollback',
      image: '',
      outcome: 'refused',
      reason: 'nothing to roll back to',
    });
    assert.equal(notice.text, 'web: rollback to the known good image was refused: nothing to roll back to.');
  });

  it('carry a headline and the facts a card shows, beside the unchanged text', () => {
    const notice = releaseNotice({ ...base, outcome: 'rolledBack', reason: '5xx rate over the gate' });
    assert.equal(notice.title, 'web: release rolled back');
    assert.deepEqual(notice.facts, [
      { name: 'Target', value: 'web' },
      { name: 'Image', value: base.image },
      { name: 'Previous image', value: 'reg.azurecr.io/web:1.0.0' },
      { name: 'Outcome', value: 'rolledBack' },
      { name: 'Reason', value: '5xx rate over the gate' },
      { name: 'Release', value: 'release:web:abc' },
    ]);
    assert.equal(notice.actions, undefined, 'nothing for a person to do');
  });

  it('say how to approve or reject a release that waits', () => {
    const notice = releaseNotice({ ...base, phase: 'awaitingApproval' });
    assert.equal(notice.title, 'web: release waits for approval');
    assert.deepEqual(notice.actions, [
      { title: 'Approve', hint: 'POST /api/releases/release:web:abc/approve' },
      { title: 'Reject', hint: 'POST /api/releases/release:web:abc/reject' },
    ]);
  });

  it('say how to release a push refused by a freeze once the freeze lifts', () => {
    const notice = releaseNotice({ ...base, outcome: 'refused', reason: 'frozen' });
    assert.equal(notice.title, 'web: release refused');
    assert.match(notice.actions?.[0]?.hint ?? '', /^POST \/api\/targets\/web\/releases with \{"image"/);
  });
});
