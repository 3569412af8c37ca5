import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDrift, sameImage } from '../../src/domain/drift';
import type { ExpectedTarget, ObservedTarget } from '../../src/domain/drift';

const image = (tag: string, digest?: string): string =>
  `contoso.azurecr.io/contoso/web:${tag}${digest === undefined ? '' : `@sha256:${digest.repeat(64)}`}`;

const seen = (over: Partial<Extract<ObservedTarget, { found: true }>> = {}): ObservedTarget => ({
  target: 'web',
  site: 'contoso-web',
  found: true,
  slot: 'staging',
  routing: [],
  states: [
    { slot: 'production', state: 'Running' },
    { slot: 'staging', state: 'Running' },
  ],
  images: { production: image('2.0.0', 'b'), staging: image('1.0.0', 'a') },
  ...over,
});

const expected = (over: Partial<ExpectedTarget> = {}): ExpectedTarget => ({
  knownGood: { latest: image('2.0.0', 'b'), before: image('1.0.0', 'a') },
  runningReleases: [],
  siteReleases: [],
  budgetFreezes: [],
  ...over,
});

describe('finding drift on a target', () => {
  const rows: {
    rule: string;
    observed: ObservedTarget;
    expected: ExpectedTarget;
    items: [string, string, RegExp][];
  }[] = [
    {
      rule: 'a site as Shepherd left it has no drift',
      observed: seen(),
      expected: expected(),
      items: [],
    },
    {
      rule: 'a routing rule with no release running is cleared',
      observed: seen({ routing: [{ slot: 'staging', percent: 10 }] }),
      expected: expected(),
      items: [['drift:web:routing', 'fix', /stray canary share is never right/]],
    },
    {
      rule: 'a rule at 0% still admits users who opt in, so it is cleared too',
      observed: seen({ routing: [{ slot: 'staging', percent: 0 }] }),
      expected: expected(),
      items: [['drift:web:routing', 'fix', /no release is running/]],
    },
    {
      rule: 'a routing rule while a release runs on the site is the release’s own',
      observed: seen({ routing: [{ slot: 'staging', percent: 25 }] }),
      expected: expected({ runningReleases: ['release:web:1'], siteReleases: ['release:web:1'] }),
      items: [['drift:web:routing', 'keep', /release release:web:1 is running/]],
    },
    {
      rule: 'a release of another target sharing the site owns the rule too',
      observed: seen({ routing: [{ slot: 'qa', percent: 5 }] }),
      expected: expected({ siteReleases: ['release:web-qa:3'] }),
      items: [['drift:web:routing', 'keep', /release:web-qa:3/]],
    },
    {
      rule: 'a missing site is reported, and nothing else is checked',
      observed: { target: 'web', site: 'contoso-web', found: false },
      expected: expected(),
      items: [['drift:web:site', 'report', /missing \(404\)/]],
    },
    {
      rule: 'production stopped with no budget freeze is reported',
      observed: seen({
        states: [
          { slot: 'production', state: 'Stopped' },
          { slot: 'staging', state: 'Running' },
        ],
      }),
      expected: expected(),
      items: [['drift:web:stopped:production', 'report', /no budget freeze stopped it/]],
    },
    {
      rule: 'a staging slot stopped under a budget freeze is expected',
      observed: seen({
        states: [
          { slot: 'production', state: 'Running' },
          { slot: 'staging', state: 'Stopped' },
        ],
      }),
      expected: expected({ budgetFreezes: ['budget:shop:2026-06-01'] }),
      items: [['drift:web:stopped:staging', 'keep', /budget freeze budget:shop:2026-06-01/]],
    },
    {
      rule: 'another target’s slot stopped is not this target’s drift',
      observed: seen({
        states: [
          { slot: 'production', state: 'Running' },
          { slot: 'staging', state: 'Running' },
          { slot: 'qa', state: 'Stopped' },
        ],
      }),
      expected: expected(),
      items: [],
    },
    {
      rule: 'a missing staging slot is reported',
      observed: seen({ states: [{ slot: 'production', state: 'Running' }] }),
      expected: expected(),
      items: [['drift:web:slot:staging', 'report', /nowhere to go/]],
    },
    {
      rule: 'production off the known-good image is reported',
      observed: seen({ images: { production: image('3.0.0', 'c'), staging: image('1.0.0', 'a') } }),
      expected: expected(),
      items: [['drift:web:production-image', 'report', /runs .*3\.0\.0.*not the known-good .*2\.0\.0/]],
    },
    {
      rule: 'production back on the image known good before is told as a rollback outside Shepherd',
      observed: seen({ images: { production: image('1.0.0', 'a'), staging: image('1.5.0', 'd') } }),
      expected: expected(),
      items: [['drift:web:production-image', 'report', /rolled back outside Shepherd/]],
    },
    {
      rule: 'staging on the known-good image while production runs another is a swap outside Shepherd',
      observed: seen({ images: { production: image('1.0.0', 'a'), staging: image('2.0.0', 'b') } }),
      expected: expected(),
      items: [['drift:web:swap', 'report', /swapped outside Shepherd/]],
    },
    {
      rule: 'production running no container image is reported',
      observed: seen({ images: { staging: image('1.0.0', 'a') } }),
      expected: expected(),
      items: [['drift:web:production-image', 'report', /runs no container image/]],
    },
    {
      rule: 'images are not compared while the target’s release runs',
      observed: seen({ images: { production: image('3.0.0', 'c'), staging: image('2.0.0', 'b') } }),
      expected: expected({ runningReleases: ['release:web:9'], siteReleases: ['release:web:9'] }),
      items: [],
    },
    {
      rule: 'with nothing known good yet there is nothing to compare production with',
      observed: seen({ images: { production: image('3.0.0', 'c') } }),
      expected: expected({ knownGood: {} }),
      items: [],
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      const items = findDrift(row.observed, row.expected);
      assert.deepEqual(
        items.map((i) => [i.id, i.action]),
        row.items.map(([id, action]) => [id, action]),
      );
      row.items.forEach(([, , reason], n) => {
        assert.match(items[n]?.reasons.join(' ') ?? '', reason);
        assert.deepEqual(items[n]?.detail, { target: 'web' });
      });
    });
  }
});

describe('comparing image references', () => {
  const rows: { rule: string; a: string | undefined; b: string | undefined; same: boolean }[] = [
    { rule: 'the same tag and digest', a: image('1.0.0', 'a'), b: image('1.0.0', 'a'), same: true },
    {
      rule: 'a known-good kept by digest alone matches its tagged form',
      a: image('1.0.0', 'a'),
      b: `contoso.azurecr.io/contoso/web@sha256:${'a'.repeat(64)}`,
      same: true,
    },
    {
      rule: 'the same tag moved to another digest differs',
      a: image('1.0.0', 'a'),
      b: image('1.0.0', 'b'),
      same: false,
    },
    { rule: 'tags alone compare by tag', a: image('1.0.0'), b: image('1.0.0'), same: true },
    {
      rule: 'a tag against a bare digest cannot be told the same',
      a: image('1.0.0'),
      b: `contoso.azurecr.io/contoso/web@sha256:${'a'.repeat(64)}`,
      same: false,
    },
    {
      rule: 'the registry is compared without case',
      a: image('1.0.0', 'a').replace('contoso.azurecr.io', 'Contoso.AzureCR.io'),
      b: image('1.0.0', 'a'),
      same: true,
    },
    {
      rule: 'another repository differs',
      a: image('1.0.0', 'a'),
      b: `contoso.azurecr.io/contoso/api:1.0.0@sha256:${'a'.repeat(64)}`,
      same: false,
    },
    { rule: 'nothing is never the same', a: undefined, b: image('1.0.0'), same: false },
    {
      rule: 'a registry’s port is not a tag',
      a: 'localhost:5000/web:1',
      b: 'localhost:5000/web:1',
      same: true,
    },
    {
      rule: 'no tag and no digest names no image',
      a: 'localhost:5000/web',
      b: 'localhost:5000/web',
      same: false,
    },
  ];
  for (const row of rows) it(row.rule, () => assert.equal(sameImage(row.a, row.b), row.same));
});
