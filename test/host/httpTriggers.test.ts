import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalHost } from '../../dev/host/host';
import { call, startTestHost, testKeys } from '../support/testHost';

describe('HTTP triggers through the local host', () => {
  let host: LocalHost;
  before(async () => {
    process.env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT = '1024';
    host = await startTestHost();
  });
  after(() => host.stop());

  it('passes route parameters and the query to the function', async () => {
    const res = await call(host.url, '/api/items/42?q=blue', { key: testKeys.host.default });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id: 42, q: 'blue' });
  });

  it('picks the route whose constraints match, including catch-all parameters', async () => {
    const res = await call(host.url, '/api/items/widgets/a/b', { key: testKeys.host.default });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { name: 'widgets', rest: 'a/b' });
  });

  it('answers 401 to a function-level route without a key, or with a wrong one', async () => {
    assert.equal((await call(host.url, '/api/items/42')).status, 401);
    assert.equal((await call(host.url, '/api/items/42', { key: 'not-a-key-at-all-000' })).status, 401);
  });

  it('accepts a function key, a host key or the master key, in the header or the code query', async () => {
    for (const key of [
      testKeys.functions.getItem?.default ?? '',
      testKeys.host.default ?? '',
      testKeys.master,
    ]) {
      assert.equal((await call(host.url, '/api/items/1', { key })).status, 200);
      assert.equal((await call(host.url, '/api/items/1', { key, keyIn: 'query' })).status, 200);
    }
  });

  it("does not let one function's key open another function", async () => {
    const res = await call(host.url, '/api/items/widgets', {
      key: testKeys.functions.getItem?.default ?? '',
    });
    assert.equal(res.status, 401);
  });

  it('opens admin-level routes to the master key only', async () => {
    assert.equal((await call(host.url, '/api/admin-area', { key: testKeys.host.default })).status, 401);
    const res = await call(host.url, '/api/admin-area', { key: testKeys.master });
    assert.equal(res.status, 200);
    assert.equal(res.text, 'admin area');
  });

  it('leaves anonymous routes open and returns the status, headers and body the function set', async () => {
    const res = await call(host.url, '/api/echo', { method: 'PUT', body: 'hello' });
    assert.equal(res.status, 201);
    assert.equal(res.text, 'hello');
    assert.equal(res.headers.get('x-method'), 'PUT');
    assert.equal(res.headers.get('x-length'), '5');
  });

  it('answers 405 to a method the function does not take, and 404 to an unknown route', async () => {
    assert.equal((await call(host.url, '/api/echo')).status, 405);
    assert.equal((await call(host.url, '/api/nowhere')).status, 404);
    assert.equal((await call(host.url, '/elsewhere/echo', { method: 'POST', body: 'x' })).status, 404);
  });

  it('refuses a body over the configured limit with 413 and runs nothing', async () => {
    const res = await call(host.url, '/api/echo', { method: 'POST', body: 'x'.repeat(1025) });
    assert.equal(res.status, 413);
    assert.equal((res.body as { title: string }).title, 'Payload too large');
    const atLimit = await call(host.url, '/api/echo', { method: 'POST', body: 'x'.repeat(1024) });
    assert.equal(atLimit.status, 201);
  });

  it('answers 500 without details when the function throws', async () => {
    const res = await call(host.url, '/api/throws');
    assert.equal(res.status, 500);
    assert.doesNotMatch(res.text, /the handler broke/);
  });
});
