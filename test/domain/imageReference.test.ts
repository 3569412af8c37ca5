import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitImageReference } from '../../src/domain/imageReference';

const digest = `sha256:${'a'.repeat(64)}`;

describe('splitting an image reference', () => {
  const rows: [string, ReturnType<typeof splitImageReference>][] = [
    ['contoso.azurecr.io/web:1.2.0', { registry: 'contoso.azurecr.io', repository: 'web', tag: '1.2.0' }],
    [
      `contoso.azurecr.io/team/web:1.2.0@${digest}`,
      { registry: 'contoso.azurecr.io', repository: 'team/web', tag: '1.2.0', digest },
    ],
    [`contoso.azurecr.io/web@${digest}`, { registry: 'contoso.azurecr.io', repository: 'web', digest }],
    ['localhost:5000/web', { registry: 'localhost:5000', repository: 'web' }],
    ['team/web:2', { repository: 'team/web', tag: '2' }],
  ];
  for (const [reference, parts] of rows)
    it(`reads ${reference}`, () => assert.deepEqual(splitImageReference(reference), parts));
});
