import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReleaseRequest } from '../../src/functions/payloads/releaseRequest';
import type { RequestedImage } from '../../src/functions/payloads/releaseRequest';

const follows = { loginServer: 'contoso.azurecr.io', repository: 'contoso/web' };
const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
const reason = 'the alert was a false alarm';

describe('a person’s release request', () => {
  const accepted: { rule: string; image: string; expected: RequestedImage }[] = [
    { rule: 'a tag', image: '2.0.0', expected: { tag: '2.0.0' } },
    { rule: 'a tag with surrounding spaces', image: '  v2.0.0 ', expected: { tag: 'v2.0.0' } },
    { rule: 'a digest', image: digest, expected: { digest } },
    {
      rule: 'the repository, tag and digest',
      image: `contoso/web:2.0.0@${digest}`,
      expected: { tag: '2.0.0', digest },
    },
    {
      rule: 'the image as a release’s status shows it, with the registry',
      image: `contoso.azurecr.io/contoso/web:2.0.0@${digest}`,
      expected: { tag: '2.0.0', digest },
    },
    {
      rule: 'the registry in another case',
      image: `Contoso.AzureCR.io/contoso/web:2.0.0@${digest}`,
      expected: { tag: '2.0.0', digest },
    },
    { rule: 'the repository and digest', image: `contoso/web@${digest}`, expected: { digest } },
    { rule: 'the repository and tag', image: 'contoso/web:2.0.0', expected: { tag: '2.0.0' } },
  ];
  for (const a of accepted) {
    it(`reads ${a.rule}`, () => {
      assert.deepEqual(parseReleaseRequest({ image: a.image, reason }, follows), {
        ok: true,
        value: { image: a.expected, reason },
      });
    });
  }

  const refused: { rule: string; body: unknown; problems: [string, RegExp][] }[] = [
    {
      rule: 'a body with neither field',
      body: {},
      problems: [
        ['image', /^is required$/],
        ['reason', /^is required$/],
      ],
    },
    { rule: 'an empty reason', body: { image: '2.0.0', reason: '  ' }, problems: [['reason', /say why/]] },
    {
      rule: 'an image that is not a string',
      body: { image: 2, reason },
      problems: [['image', /^expected a tag/]],
    },
    { rule: 'an empty image', body: { image: ' ', reason }, problems: [['image', /^must not be empty$/]] },
    {
      rule: 'a short digest',
      body: { image: digest.slice(0, -1), reason },
      problems: [['image', /^expected "sha256:" followed by 64 lowercase hex digits$/]],
    },
    {
      rule: 'a digest in upper case',
      body: { image: digest.toUpperCase(), reason },
      problems: [['image', /64 lowercase hex digits/]],
    },
    {
      rule: 'a bad digest after @',
      body: { image: 'contoso/web:2.0.0@sha256:abc', reason },
      problems: [['image', /^after "@": expected "sha256:"/]],
    },
    {
      rule: 'a tag that the distribution spec does not allow',
      body: { image: '-2.0.0', reason },
      problems: [['image', /^expected a tag of up to 128/]],
    },
    {
      rule: 'another repository',
      body: { image: 'contoso/api:2.0.0', reason },
      problems: [['image', /^names the repository contoso\/api; this target releases from contoso\/web$/]],
    },
    {
      rule: 'another registry',
      body: { image: `fabrikam.azurecr.io/contoso/web@${digest}`, reason },
      problems: [
        [
          'image',
          /^names the registry fabrikam\.azurecr\.io; this target releases from contoso\.azurecr\.io$/,
        ],
      ],
    },
    {
      rule: 'a repository with neither tag nor digest',
      body: { image: 'contoso/web', reason },
      problems: [['image', /^expected a tag or a digest after the repository$/]],
    },
    {
      rule: 'a digest with no repository before @',
      body: { image: `latest@${digest}`, reason },
      problems: [['image', /^expected a repository before "@"$/]],
    },
    {
      rule: 'a field it does not know, likely a typo',
      body: { image: '2.0.0', reason, tag: '2.0.0' },
      problems: [['', /Unrecognized key: "tag"/]],
    },
    { rule: 'a body that is not an object', body: ['2.0.0'], problems: [['', /expected object/]] },
    {
      rule: 'every problem at once',
      body: { image: 'contoso/api:2.0.0' },
      problems: [
        ['image', /names the repository contoso\/api/],
        ['reason', /^is required$/],
      ],
    },
  ];
  for (const r of refused) {
    it(`refuses ${r.rule}, naming ${r.problems.map(([path]) => path || 'the body').join(' and ')}`, () => {
      const parsed = parseReleaseRequest(r.body, follows);
      if (parsed.ok) assert.fail(`expected problems, got ${JSON.stringify(parsed.value)}`);
      assert.equal(parsed.problems.length, r.problems.length, JSON.stringify(parsed.problems));
      for (const [path, message] of r.problems) {
        const problem = parsed.problems.find((p) => p.path === path);
        assert.ok(problem, `a problem at ${path || 'the body'}: ${JSON.stringify(parsed.problems)}`);
        assert.match(problem.message, message);
      }
    });
  }
});
