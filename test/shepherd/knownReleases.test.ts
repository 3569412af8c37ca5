import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KnownReleases } from '../../src/knownReleases';

describe('KnownReleases', () => {
  it('knows only the ids it was told of', () => {
    const known = new KnownReleases();
    known.add('release:web:1');
    assert.equal(known.has('release:web:1'), true);
    assert.equal(known.has('release:web:2'), false);
  });

  it('forgets the id seen longest ago once full, keeping one seen again', () => {
    const known = new KnownReleases(2);
    known.add('a');
    known.add('b');
    known.add('a');
    known.add('c');
    assert.deepEqual(
      ['a', 'b', 'c'].map((id) => known.has(id)),
      [true, false, true],
    );
  });
});
