import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publishedRotationStatus } from '../../src/orchestrations/rotation/publishedRotationStatus';
import type { RotationStatus } from '../../src/orchestrations/rotationModel';

function statusWith(consumers: number, detail: string, unproven: number[] = []): RotationStatus {
  return {
    rotationId: 'rotation:appdb-login:3',
    secret: 'appdb-login',
    kind: 'postgresRole',
    phase: 'switching',
    requestedBy: { via: 'person', by: 'ana', reason: 'quarterly rotation' },
    consumers: Array.from({ length: consumers }, (_, i) => ({
      target: `web-${i}`,
      verified: !unproven.includes(i),
      detail,
    })),
  };
}

describe('a rotation’s custom status, within Azure’s limit', () => {
  it('shows a small status as it is', () => {
    const status = statusWith(2, 'healthy on version 3');
    assert.deepEqual(publishedRotationStatus(status), status);
  });

  it('cuts a person’s essay of a reason and Azure’s long texts', () => {
    const status = { ...statusWith(1, 'x'.repeat(3_000)), reason: 'y'.repeat(3_000) };
    const published = publishedRotationStatus(status);
    assert.ok(JSON.stringify(published).length <= 4_096);
    assert.equal(published.reason?.length, 500);
    assert.ok(published.reason.endsWith('…'));
  });

  it('leaves out the proofs of proven consumers when forty do not fit with them', () => {
    const published = publishedRotationStatus(statusWith(40, 'z'.repeat(150), [3]));
    assert.ok(JSON.stringify(published).length <= 4_096);
    assert.equal(published.consumers.length, 40);
    assert.deepEqual(
      published.consumers.filter((c) => c.detail !== '').map((c) => c.target),
      ['web-3'],
    );
  });

  it('keeps the consumers not yet proven, and how many there are, when a hundred and twenty do not fit', () => {
    const published = publishedRotationStatus(statusWith(120, 'z'.repeat(150), [7, 42]));
    assert.ok(JSON.stringify(published).length <= 4_096, `${JSON.stringify(published).length} characters`);
    assert.deepEqual(
      published.consumers.map((c) => [c.target, c.verified, c.detail.length]),
      [
        ['web-7', false, 150],
        ['web-42', false, 150],
      ],
    );
    assert.equal(published.consumerCount, 120);
  });
});
