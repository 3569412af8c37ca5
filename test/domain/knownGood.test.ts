import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  afterRollback,
  afterSuccessfulRelease,
  chooseRollbackImage,
  knownGoodFromTags,
  knownGoodTags,
  knownGoodToTags,
} from '../../src/domain/knownGood';

const v1 = 'reg.azurecr.io/web:1.0.0@sha256:' + '1'.repeat(64);
const v2 = 'reg.azurecr.io/web:2.0.0@sha256:' + '2'.repeat(64);
const v3 = 'reg.azurecr.io/web:3.0.0@sha256:' + '3'.repeat(64);

describe('the known-good record', () => {
  it('round-trips through site tags, with empty tags meaning nothing known', () => {
    assert.deepEqual(knownGoodFromTags(knownGoodToTags({ latest: v2, before: v1 })), {
      latest: v2,
      before: v1,
    });
    assert.deepEqual(knownGoodFromTags(knownGoodToTags({})), {});
    assert.deepEqual(knownGoodFromTags(undefined), {});
    assert.deepEqual(knownGoodFromTags({ owner: 'team-a' }), {});
  });

  it('keeps an image too long for a tag by its digest alone, and drops one that still does not fit', () => {
    const long = `reg.azurecr.io/${'r'.repeat(150)}:tag-${'t'.repeat(60)}@sha256:${'4'.repeat(64)}`;
    assert.equal(knownGoodToTags({ latest: long })[knownGoodTags.latest], long.replace(/:tag-t+@/, '@'));
    const tooLong = `reg.azurecr.io/${'r'.repeat(300)}@sha256:${'4'.repeat(64)}`;
    assert.equal(knownGoodToTags({ latest: tooLong })[knownGoodTags.latest], '');
  });

  it('after a successful release: the new image, and what production ran before it', () => {
    assert.deepEqual(afterSuccessfulRelease({}, v2, v1), { latest: v2, before: v1 });
    assert.deepEqual(afterSuccessfulRelease({ latest: v2, before: v1 }, v3, v2), { latest: v3, before: v2 });
    // Production ran nothing Shepherd could read.
    assert.deepEqual(afterSuccessfulRelease({ latest: v1 }, v2, null), { latest: v2 });
    // Releasing the image production already ran keeps the older record of what came before.
    assert.deepEqual(afterSuccessfulRelease({ latest: v2, before: v1 }, v2, v2), { latest: v2, before: v1 });
  });

  it('after a rollback: only the image it put back is known good', () => {
    assert.deepEqual(afterRollback(v1), { latest: v1 });
  });
});

describe('which image a rollback puts back', () => {
  const cases: {
    name: string;
    record: { latest?: string; before?: string };
    production: string | null;
    expected: unknown;
  }[] = [
    {
      name: 'after a promotion: the image before it',
      record: { latest: v2, before: v1 },
      production: v2,
      expected: { image: v1 },
    },
    {
      name: 'production runs something unknown: the known good one',
      record: { latest: v2, before: v1 },
      production: v3,
      expected: { image: v2 },
    },
    {
      name: 'production unreadable: the known good one',
      record: { latest: v2 },
      production: null,
      expected: { image: v2 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(chooseRollbackImage(c.record, c.production), c.expected));
  }

  it('nothing, when no release has succeeded yet', () => {
    const choice = chooseRollbackImage({}, v1);
    assert.ok('nothing' in choice && /no release has succeeded/.test(choice.nothing));
  });

  it('nothing, when production runs the only known good image', () => {
    const choice = chooseRollbackImage({ latest: v1 }, v1);
    assert.ok('nothing' in choice && choice.nothing.includes(v1));
  });
});
