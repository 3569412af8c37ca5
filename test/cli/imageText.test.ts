import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageCell, shortImage } from '../../src/cli/imageText';

const digest = 'sha256:a29620d37c2af4f512d3bf15c0ffee0000000000000000000000000000000000';

describe('shortImage', () => {
  const rows: [string, string, string][] = [
    [
      'drops the registry host and cuts the digest to 12 hex digits',
      `contoso.azurecr.io/contoso/web:2.0.0@${digest}`,
      'contoso/web:2.0.0@sha256:a29620d37c2a',
    ],
    ['keeps a tag alone', 'contoso.azurecr.io/web:1.0.0', 'web:1.0.0'],
    ['keeps an image named by digest alone', `contoso.azurecr.io/web@${digest}`, 'web@sha256:a29620d37c2a'],
    ['drops a host named by its port', 'registry:5000/team/web:1', 'team/web:1'],
    ['drops localhost', 'localhost/web:1', 'web:1'],
    ['keeps a first part that names a repository, not a host', 'contoso/web:1', 'contoso/web:1'],
    ['keeps an image without a slash', 'nginx:1.27', 'nginx:1.27'],
  ];
  for (const [rule, image, shown] of rows) it(rule, () => assert.equal(shortImage(image), shown));
});

describe('imageCell', () => {
  it('says unknown for an image that could not be read, (none) for a slot without one', () => {
    assert.deepEqual(
      [imageCell(undefined), imageCell(null), imageCell('acr.io/web:1')],
      ['unknown', '(none)', 'web:1'],
    );
  });
});
