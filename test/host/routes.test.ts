import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRoute } from '../../dev/host/routes';

describe('route templates', () => {
  const cases: { template: string; path: string; expected: Record<string, string> | undefined }[] = [
    { template: 'health', path: 'health', expected: {} },
    { template: 'health', path: 'HEALTH', expected: {} },
    { template: 'health', path: 'health/extra', expected: undefined },
    { template: 'targets/{target}/rollback', path: 'targets/web/rollback', expected: { target: 'web' } },
    { template: 'targets/{target}/rollback', path: 'targets//rollback', expected: undefined },
    { template: 'items/{id:int}', path: 'items/42', expected: { id: '42' } },
    { template: 'items/{id:int}', path: 'items/forty-two', expected: undefined },
    { template: 'items/{id:int:min(10)}', path: 'items/9', expected: undefined },
    { template: 'items/{id:int:min(10)}', path: 'items/10', expected: { id: '10' } },
    { template: 'items/{name:alpha}', path: 'items/abc', expected: { name: 'abc' } },
    { template: 'items/{name:regex(^v\\d+$)}', path: 'items/v12', expected: { name: 'v12' } },
    { template: 'items/{name:regex(^v\\d+$)}', path: 'items/x12', expected: undefined },
    { template: 'releases/{id?}', path: 'releases', expected: {} },
    { template: 'releases/{id?}', path: 'releases/r1', expected: { id: 'r1' } },
    { template: 'page/{n=1}', path: 'page', expected: { n: '1' } },
    { template: 'files/{*path}', path: 'files/a/b/c.txt', expected: { path: 'a/b/c.txt' } },
    { template: 'files/{*path}', path: 'files', expected: {} },
    {
      template: 'ids/{id:guid}',
      path: 'ids/2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
      expected: { id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66' },
    },
    { template: 'names/{name}', path: 'names/a%20b', expected: { name: 'a b' } },
  ];
  for (const c of cases) {
    it(`"${c.template}" ${c.expected ? 'matches' : 'does not match'} "${c.path}"`, () => {
      assert.deepEqual(compileRoute(c.template).match(c.path), c.expected);
    });
  }

  it('rejects an unknown constraint when the route is registered', () => {
    assert.throws(() => compileRoute('items/{id:banana}'), /unknown constraint "banana"/);
  });
});
