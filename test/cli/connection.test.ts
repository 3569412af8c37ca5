import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionOf } from '../../src/cli/connection';
import { UsageError } from '../../src/cli/usageError';

describe('connectionOf', () => {
  const env = { SHEPHERD_URL: 'https://env.example', SHEPHERD_KEY: 'env-key' };

  it('takes the flags over the environment', () => {
    const c = connectionOf({ url: 'https://flag.example', key: 'flag-key' }, env);
    assert.deepEqual([c.apiRoot.href, c.key], ['https://flag.example/api/', 'flag-key']);
  });

  it('takes the environment when no flag is given', () => {
    const c = connectionOf({}, env);
    assert.deepEqual([c.apiRoot.href, c.key], ['https://env.example/api/', 'env-key']);
  });

  it('defaults to the local host', () => {
    assert.equal(connectionOf({ key: 'k' }, {}).apiRoot.href, 'http://localhost:7071/api/');
  });

  const roots: [string, string][] = [
    ['https://app.azurewebsites.net/', 'https://app.azurewebsites.net/api/'],
    ['https://app.azurewebsites.net/api', 'https://app.azurewebsites.net/api/'],
    ['https://app.azurewebsites.net/api/', 'https://app.azurewebsites.net/api/'],
    ['https://gateway.example/shepherd', 'https://gateway.example/shepherd/api/'],
  ];
  for (const [url, root] of roots)
    it(`asks ${root} for ${url}`, () => assert.equal(connectionOf({ url, key: 'k' }, {}).apiRoot.href, root));

  const refused: [string, Parameters<typeof connectionOf>[0], RegExp][] = [
    ['no key at all', {}, /^No function key: pass --key or set SHEPHERD_KEY/],
    ['an empty key', { key: ' ' }, /^No function key/],
    ['something that is not a URL', { url: 'localhost:7071', key: 'k' }, /is not an http\(s\) address/],
    ['words', { url: 'not a url', key: 'k' }, /^not a url is not a URL/],
    [
      'a URL with a user, which errors would print',
      { url: 'https://me:pw@app.example', key: 'k' },
      /not an http\(s\) address without a query or user/,
    ],
    ['a URL with a query', { url: 'https://app.example/?code=x', key: 'k' }, /without a query/],
  ];
  for (const [rule, flags, message] of refused)
    it(`refuses ${rule}, as a usage error`, () =>
      assert.throws(
        () => connectionOf(flags, {}),
        (err) => err instanceof UsageError && message.test(err.message),
      ));
});
