import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { CleanupItem } from '../../src/domain/cleanupPlan';
import { planRegistryRetention } from '../../src/domain/registryRetention';
import type { InUseImage, ListedManifest, RegistryRetentionRules } from '../../src/domain/registryRetention';

const now = new Date('2026-06-01T00:00:00Z');
const defaults: RegistryRetentionRules = { tagFilter: '.*', olderThanDays: 30, keep: 10, untaggedDays: 7 };
const digestOf = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`;
const daysAgo = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString();
const signatureTag = (name: string): string => `${digestOf(name).replace(':', '-')}.sig`;

/** A manifest named `name` (its digest derives from it), `age` days old, unlocked unless told. */
function manifest(name: string, age: number, more: Partial<ListedManifest> = {}): ListedManifest {
  return {
    digest: digestOf(name),
    tags: [],
    lockedTags: [],
    lastUpdatedOn: daysAgo(age),
    architecture: 'amd64',
    os: 'linux',
    children: [],
    canDelete: true,
    canWrite: true,
    ...more,
  };
}
const tagged = (tag: string, age: number, more: Partial<ListedManifest> = {}): ListedManifest =>
  manifest(tag, age, { tags: [tag], ...more });

function plan(manifests: ListedManifest[], inUse: InUseImage[] = [], rules = defaults): CleanupItem[] {
  return planRegistryRetention(
    { loginServer: 'contoso.azurecr.io', repository: 'web', manifests },
    inUse,
    rules,
    now,
  );
}
const deleted = (items: CleanupItem[]): string[] =>
  items.filter((i) => i.action === 'delete').map((i) => String(i.detail?.digest));
const itemOf = (items: CleanupItem[], name: string): CleanupItem => {
  const item = items.find((i) => i.detail?.digest === digestOf(name));
  assert.ok(item, `an item for ${name}`);
  return item;
};
const names = (...list: string[]): string[] => list.map(digestOf).sort();

describe('registry retention: the worked repository', () => {
  // v1 … v30, three days apart: v30 is 3 days old, v21 exactly 30, v1 90.
  const versions = Array.from({ length: 30 }, (_, i) => tagged(`v${i + 1}`, (30 - i) * 3));
  const lockedTag = versions[2];
  const lockedManifest = versions[3];
  assert.ok(lockedTag && lockedManifest);
  lockedTag.lockedTags = ['v3'];
  lockedManifest.canWrite = false;
  const manifests = [
    ...versions,
    manifest('untagged-old', 10),
    manifest('untagged-young', 2),
    tagged('multi-1', 60, {
      children: [digestOf('multi-1-amd64'), digestOf('shared-arm64')],
      architecture: undefined,
    }),
    manifest('multi-1-amd64', 60),
    manifest('shared-arm64', 60, { architecture: 'arm64' }),
    tagged('multi-2', 45, { children: [digestOf('shared-arm64')], architecture: undefined }),
    manifest('v8-signature', 70, { tags: [signatureTag('v8')] }),
    manifest('v12-signature', 50, { tags: [signatureTag('v12')] }),
  ];
  const inUse: InUseImage[] = [
    { digest: digestOf('v5'), reason: 'running in web/production' },
    { digest: digestOf('v5'), reason: 'known good before for web' },
    { digest: digestOf('v12'), reason: 'running in web/staging' },
    { digest: digestOf('v15'), reason: 'known good for web' },
    { digest: digestOf('v18'), reason: 'image of running release release:web:1' },
    { digest: digestOf('multi-2'), reason: 'running in api/production' },
  ];
  const items = plan(manifests, inUse);

  it('deletes exactly the old tags beyond the newest ten, old untagged, the unkept index and what only it needed', () => {
    assert.deepEqual(
      deleted(items).sort(),
      names(
        ...['v1', 'v2', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v13', 'v14', 'v16', 'v17', 'v19', 'v20'],
        'v8-signature',
        'untagged-old',
        'multi-1',
        'multi-1-amd64',
      ),
    );
    assert.equal(items.length, manifests.length, 'every manifest is accounted for');
  });

  it('says why each image in use, known good, locked or needed is kept', () => {
    const reasonsOf = (name: string): string[] => {
      const item = itemOf(items, name);
      assert.equal(item.action, 'keep', name);
      return item.reasons;
    };
    assert.deepEqual(reasonsOf('v5'), ['running in web/production', 'known good before for web']);
    assert.deepEqual(reasonsOf('v12'), ['running in web/staging']);
    assert.deepEqual(reasonsOf('v15'), ['known good for web']);
    assert.deepEqual(reasonsOf('v18'), ['image of running release release:web:1']);
    assert.deepEqual(reasonsOf('v3'), ['locked tag v3']);
    assert.deepEqual(reasonsOf('v4'), ['locked: writeEnabled is false']);
    assert.deepEqual(reasonsOf('v12-signature'), [`attached to kept ${digestOf('v12').slice(0, 19)}`]);
    assert.deepEqual(reasonsOf('shared-arm64'), [
      `platform image of kept index ${digestOf('multi-2').slice(0, 19)}`,
    ]);
    assert.deepEqual(reasonsOf('v30'), ['among the newest 10 tagged images']);
    assert.deepEqual(reasonsOf('untagged-young'), ['untagged for 7 days or less']);
  });

  it('says why each deletion goes', () => {
    assert.deepEqual(itemOf(items, 'v1').reasons, ['tagged, older than 30 days and not among the newest 10']);
    assert.deepEqual(itemOf(items, 'untagged-old').reasons, ['untagged for over 7 days']);
    assert.deepEqual(itemOf(items, 'v8-signature').reasons, [
      `attached to deleted ${digestOf('v8').slice(0, 19)}`,
    ]);
    assert.match(itemOf(items, 'multi-1-amd64').reasons[0] ?? '', /^platform image of deleted index sha256:/);
  });

  it('lists signatures first, then indexes, then images, then platform images', () => {
    const order = items.filter((i) => i.action === 'delete').map((i) => String(i.detail?.digest));
    const at = (name: string): number => order.indexOf(digestOf(name));
    assert.ok(
      at('v8-signature') < at('multi-1') && at('multi-1') < at('v8') && at('v8') < at('multi-1-amd64'),
    );
  });

  it('names each item readably and carries what deleting it needs', () => {
    const item = itemOf(items, 'v1');
    assert.equal(item.id, `registry:web@${digestOf('v1')}`);
    assert.equal(item.what, `web:v1 (${digestOf('v1').slice(0, 19)}, linux/amd64)`);
    assert.deepEqual(item.detail, {
      loginServer: 'contoso.azurecr.io',
      repository: 'web',
      digest: digestOf('v1'),
    });
  });
});

describe('registry retention: one rule at a time', () => {
  it('keeps a tag updated exactly olderThanDays ago, deletes one a day older', () => {
    const items = plan([tagged('new', 1), tagged('edge', 30), tagged('past', 31)], [], {
      ...defaults,
      keep: 1,
    });
    assert.deepEqual(itemOf(items, 'edge').reasons, ['updated within 30 days']);
    assert.deepEqual(deleted(items), names('past'));
  });

  it('keeps the newest N tagged images however old they are', () => {
    const items = plan([tagged('a', 100), tagged('b', 200), tagged('c', 300)], [], { ...defaults, keep: 2 });
    assert.deepEqual(deleted(items), names('c'));
  });

  it('keeps a manifest with any tag outside the filter, and counts the newest N among matching tags only', () => {
    const rules = { ...defaults, tagFilter: 'dev-.*', keep: 1 };
    const items = plan(
      [
        tagged('release-1', 1),
        tagged('dev-2', 40),
        tagged('dev-1', 50),
        manifest('both', 60, { tags: ['dev-0', 'stable'] }),
      ],
      [],
      rules,
    );
    assert.deepEqual(deleted(items), names('dev-1'));
    assert.deepEqual(itemOf(items, 'dev-2').reasons, ['among the newest 1 tagged images']);
    assert.deepEqual(itemOf(items, 'both').reasons, ['tag stable does not match the filter']);
    assert.deepEqual(itemOf(items, 'release-1').reasons, ['tag release-1 does not match the filter']);
  });

  it('deletes an untagged manifest only once older than untaggedDays', () => {
    const items = plan([manifest('seven', 7), manifest('eight', 8)]);
    assert.deepEqual(deleted(items), names('eight'));
  });

  it('never deletes a locked manifest, whichever flag locks it, and reports it kept', () => {
    const items = plan(
      [
        manifest('no-delete', 90, { canDelete: false }),
        manifest('no-write', 90, { canWrite: false }),
        tagged('locked-tag', 90, { lockedTags: ['locked-tag'] }),
      ],
      [],
      { ...defaults, keep: 1 },
    );
    assert.deepEqual(deleted(items), []);
    assert.deepEqual(itemOf(items, 'no-delete').reasons, ['locked: deleteEnabled is false']);
  });

  it('keeps an image whose signature is locked, and the signatures of a kept image', () => {
    const items = plan(
      [
        tagged('old', 90),
        manifest('old-sig', 90, { tags: [signatureTag('old')], canDelete: false }),
        tagged('new', 1),
      ],
      [],
      { ...defaults, keep: 1 },
    );
    assert.deepEqual(deleted(items), []);
    assert.match(itemOf(items, 'old').reasons[0] ?? '', /^signed or described by kept sha256:/);
  });

  it('keeps every platform image of an index in use, even untagged and old', () => {
    const index = tagged('multi', 90, { children: [digestOf('amd'), digestOf('arm')] });
    const items = plan(
      [index, manifest('amd', 90), manifest('arm', 90), tagged('new', 1)],
      [{ digest: index.digest, reason: 'running in web/production' }],
      { ...defaults, keep: 1 },
    );
    assert.deepEqual(deleted(items), []);
  });

  it('keeps a platform image an image in use names directly, while its unkept index goes', () => {
    const index = tagged('multi', 90, { children: [digestOf('amd'), digestOf('arm')] });
    const items = plan(
      [index, manifest('amd', 90), manifest('arm', 90), tagged('new', 1)],
      [{ digest: digestOf('amd'), reason: 'running in web/production' }],
      { ...defaults, keep: 1 },
    );
    assert.deepEqual(deleted(items).sort(), names('multi', 'arm'));
  });

  it('keeps an untagged Notation signature of a kept image, and deletes one of a deleted image with it', () => {
    const items = plan(
      [
        tagged('kept', 40),
        tagged('old', 400),
        ...Array.from({ length: 10 }, (_, n) => tagged(`newer-${n}`, 35 + n)),
        manifest('signs-kept', 300, { subject: digestOf('kept'), architecture: undefined, os: undefined }),
        manifest('signs-old', 300, { subject: digestOf('old'), architecture: undefined, os: undefined }),
      ],
      [{ digest: digestOf('kept'), reason: 'running in web/production' }],
    );
    assert.equal(itemOf(items, 'signs-kept').action, 'keep');
    assert.match(itemOf(items, 'signs-kept').reasons.join(), /attached to kept sha256:/);
    assert.equal(itemOf(items, 'old').action, 'delete');
    assert.equal(itemOf(items, 'signs-old').action, 'delete');
    assert.match(itemOf(items, 'signs-old').reasons.join(), /attached to deleted sha256:/);
  });

  it('deletes a signature whose image is gone once older than untaggedDays', () => {
    const items = plan([
      manifest('orphan-sig-old', 8, { tags: [signatureTag('gone')] }),
      manifest('orphan-sig-new', 3, { tags: [signatureTag('gone-too')] }),
    ]);
    assert.deepEqual(deleted(items), names('orphan-sig-old'));
  });

  it('ignores digests in use that the repository does not hold', () => {
    const items = plan(
      [tagged('new', 1)],
      [{ digest: digestOf('elsewhere'), reason: 'running in api/production' }],
    );
    assert.deepEqual(
      items.map((i) => i.action),
      ['keep'],
    );
  });
});
