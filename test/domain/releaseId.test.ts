import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releaseInstanceId } from '../../src/domain/releaseId';

describe('release instance ids', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;

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
    assert.ok(releaseInstanceId('a'.repeat(63), digest).length <= 100);
  });
});
