import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attemptInstanceId,
  releaseIdPrefix,
  releaseInstanceId,
  rollbackInstanceId,
} from '../../src/domain/releaseId';

const digest = `sha256:${'ab'.repeat(32)}`;
const longestTarget = 'a'.repeat(63);

describe('release instance ids', () => {
  it('is the same for the same target and digest, whichever route delivered the push', () => {
    assert.equal(
      releaseInstanceId('web', digest),
      releaseInstanceId('web', digest.toUpperCase().replace('SHA256', 'sha256')),
    );
  });

  it('differs for another target or another digest', () => {
    assert.notEqual(releaseInstanceId('web', digest), releaseInstanceId('api', digest));
    assert.notEqual(releaseInstanceId('web', digest), releaseInstanceId('web', `sha256:${'cd'.repeat(32)}`));
  });

  it('stays within the 100 characters a durable instance id may have, for the longest target name', () => {
    assert.ok(releaseInstanceId(longestTarget, digest).length <= 100);
  });
});

describe('instance ids of releases a person asked for', () => {
  it('keeps the target’s release prefix, so it queues and is listed with the target’s releases', () => {
    const id = attemptInstanceId('web', digest, '0a1b2c3d');
    assert.ok(id.startsWith(releaseIdPrefix('web')));
    assert.equal(id, 'release:web:abababababab-manual-0a1b2c3d');
  });

  it('differs from the push’s own release of the digest and from every other attempt', () => {
    const ids = new Set([
      releaseInstanceId('web', digest),
      attemptInstanceId('web', digest, '00000001'),
      attemptInstanceId('web', digest, '00000002'),
      rollbackInstanceId('web', '00000001'),
    ]);
    assert.equal(ids.size, 4);
  });

  it('does not start with another target’s prefix when one target’s name begins another’s', () => {
    assert.ok(!attemptInstanceId('web-2', digest, '0a1b2c3d').startsWith(releaseIdPrefix('web')));
  });

  it('stays within 100 characters for the longest target name', () => {
    assert.equal(attemptInstanceId(longestTarget, digest, 'ffffffff').length, 100);
  });

  it('refuses a unique part that is not 8 lowercase hex digits', () => {
    for (const unique of ['', '0a1b2c3', '0A1B2C3D', '0a1b2c3d4', 'ghijklmn'])
      assert.throws(() => attemptInstanceId('web', digest, unique), /8 lowercase hex digits/);
  });
});
