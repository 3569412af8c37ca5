import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SandboxIdentity } from '../../dev/sandbox/context';
import { keyVaultModule } from '../../dev/sandbox/keyVault/module';
import type { SandboxServer } from '../../dev/sandbox/server';
import { audiences } from '../../dev/sandbox/tokens';
import { fixture } from '../support/fixtures';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

interface Sample {
  parameters: Record<string, unknown>;
  responses: { '200': { body: unknown } };
}

/** Every leaf of a JSON value by path, with its JSON type; array elements share the path `[]`. */
function shapeOf(value: unknown, path = '', shape = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, shape);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) shapeOf(child, path ? `${path}.${key}` : key, shape);
  } else shape.set(path, value === null ? 'null' : typeof value);
  return shape;
}

/**
 * Asserts `actual` has every key of the published `sample` with the same JSON type, and names the keys
 * it has beyond the sample's.
 */
function assertSampleShape(actual: unknown, sample: unknown, extras: string[]): void {
  const mine = shapeOf(actual);
  for (const [path, type] of shapeOf(sample)) assert.equal(mine.get(path), type, `${path} is a ${type}`);
  assert.deepEqual(
    [...mine.keys()].filter((path) => !shapeOf(sample).has(path)),
    extras,
  );
}

describe('sandbox Key Vault over HTTPS', () => {
  let sandbox: SandboxServer & { identity: SandboxIdentity };
  let token: string;
  let armToken: string;

  before(async () => {
    sandbox = await startTestSandbox([keyVaultModule({ vaultName: 'shepherd-kv' })]);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    token = (await credential.getToken(`${audiences.keyVault}/.default`)).token;
    armToken = (await credential.getToken(`${audiences.arm}/.default`)).token;
  });
  after(() => sandbox.close());

  /** A request as any client would send it; `path` carries its own query. */
  async function call(
    method: string,
    path: string,
    options: { body?: unknown; bearer?: string | null } = {},
  ): Promise<Answer> {
    const bearer = options.bearer === undefined ? token : options.bearer;
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: {
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  }

  const v = 'api-version=2025-07-01';
  const error = (code: string, message: string): { error: { code: string; message: string } } => ({
    error: { code, message },
  });
  /** Matches an error body by code and a message pattern. */
  const assertError = (answer: Answer, status: number, code: string, message: RegExp): void => {
    assert.equal(answer.status, status);
    const body = answer.body as ReturnType<typeof error>;
    assert.equal(body.error.code, code);
    assert.match(body.error.message, message);
    assert.deepEqual(Object.keys(body.error), ['code', 'message']);
  };

  describe('Azure status codes and error shapes', () => {
    it('challenges a request without a token before it reads the body', async () => {
      const answer = await call('PUT', `/secrets/anything?${v}`, { body: '{not json', bearer: null });
      assert.equal(answer.status, 401);
      assert.equal(
        answer.headers.get('www-authenticate'),
        `Bearer authorization="https://login.microsoftonline.com/${sandbox.identity.tenantId}", resource="https://vault.azure.net"`,
      );
      assert.deepEqual(
        answer.body,
        error('Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
      );
    });

    it('refuses a token for another audience, and one it never issued', async () => {
      const arm = await call('GET', `/secrets?${v}`, { bearer: armToken });
      assert.deepEqual(
        arm.body,
        error(
          'Unauthorized',
          'AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.',
        ),
      );
      assert.equal(arm.status, 401);
      assertError(
        await call('GET', `/secrets?${v}`, { bearer: 'forged' }),
        401,
        'Unauthorized',
        /^AKV10046:/,
      );
    });

    it('answers 400 BadParameter when the api-version is missing or unknown', async () => {
      assertError(
        await call('GET', '/secrets'),
        400,
        'BadParameter',
        /api-version query parameter is required/,
      );
      assertError(
        await call('GET', '/secrets?api-version=9.9'),
        400,
        'BadParameter',
        /^The specified version \(9\.9\) is not recognized\. Consider using the latest supported version \(2025-07-01\)\.$/,
      );
    });

    for (const name of ['bad_name', 'dotted.name', 'white%20space']) {
      it(`answers 400 BadParameter for the secret name ${name}`, async () => {
        assert.deepEqual(
          (await call('PUT', `/secrets/${name}?${v}`, { body: { value: 'x' } })).body,
          error('BadParameter', `The request URI contains an invalid name: ${decodeURIComponent(name)}`),
        );
      });
    }

    it('takes a name of 100 letters, digits and dashes', async () => {
      const name = `Ab-9${'x'.repeat(96)}`;
      assert.equal((await call('PUT', `/secrets/${name}?${v}`, { body: { value: 'x' } })).status, 200);
    });

    it('takes names of up to 127 characters and refuses 128 with 400 BadParameter', async () => {
      const longest = 'x'.repeat(127);
      assert.equal((await call('PUT', `/secrets/${longest}?${v}`, { body: { value: 'x' } })).status, 200);
      assertError(
        await call('PUT', `/secrets/${longest}y?${v}`, { body: { value: 'x' } }),
        400,
        'BadParameter',
        /invalid name/,
      );
    });

    const badBodies: { what: string; method: string; body: unknown; message: RegExp }[] = [
      { what: 'no body', method: 'PUT', body: undefined, message: /body is required/ },
      { what: 'no value', method: 'PUT', body: {}, message: /^Invalid request body: value: / },
      { what: 'a number value', method: 'PUT', body: { value: 5 }, message: /value: / },
      {
        what: 'a tag that is not a string',
        method: 'PUT',
        body: { value: 'x', tags: { a: 1 } },
        message: /tags\.a/,
      },
      {
        what: 'an expiry that is not epoch seconds',
        method: 'PUT',
        body: { value: 'x', attributes: { exp: '2030-01-01' } },
        message: /attributes\.exp/,
      },
      { what: 'invalid JSON', method: 'PUT', body: '{"value":', message: /not valid JSON/ },
      {
        what: 'an update with enabled not a boolean',
        method: 'PATCH',
        body: { attributes: { enabled: 'no' } },
        message: /attributes\.enabled/,
      },
    ];
    for (const row of badBodies) {
      it(`answers 400 BadParameter for ${row.what}`, async () => {
        await call('PUT', `/secrets/body-checks?${v}`, { body: { value: 'ok' } });
        assertError(
          await call(row.method, `/secrets/body-checks?${v}`, { body: row.body }),
          400,
          'BadParameter',
          row.message,
        );
      });
    }

    it('answers 404 SecretNotFound for a missing secret, version or deleted secret', async () => {
      assertError(
        await call('GET', `/secrets/nope/?${v}`),
        404,
        'SecretNotFound',
        /^A secret with \(name\/id\) nope was not found/,
      );
      await call('PUT', `/secrets/has-one?${v}`, { body: { value: 'x' } });
      const version = '0'.repeat(32);
      assertError(
        await call('GET', `/secrets/has-one/${version}?${v}`),
        404,
        'SecretNotFound',
        new RegExp(`^A secret with \\(name/id\\) has-one/${version} was not found`),
      );
      assert.deepEqual(
        (await call('GET', `/deletedsecrets/nope?${v}`)).body,
        error('SecretNotFound', 'Deleted Secret not found: nope'),
      );
      assert.equal((await call('POST', `/deletedsecrets/nope/recover?${v}`)).status, 404);
      assert.equal((await call('DELETE', `/deletedsecrets/nope?${v}`)).status, 404);
    });

    it('answers a get of a disabled latest version with 403 SecretDisabled, never an older enabled version', async () => {
      await call('PUT', `/secrets/switched-off?${v}`, { body: { value: 'older, enabled' } });
      await call('PUT', `/secrets/switched-off?${v}`, {
        body: { value: 'latest', attributes: { enabled: false } },
      });
      const answer = await call('GET', `/secrets/switched-off?${v}`);
      assert.equal(answer.status, 403);
      // As Key Vault answers it (the azure-sdk-for-js recording of `cantgetadisabledsecret`).
      assert.deepEqual(answer.body, {
        error: {
          code: 'Forbidden',
          message: 'Operation get is not allowed on a disabled secret.',
          innererror: { code: 'SecretDisabled' },
        },
      });
    });

    it('takes 15 tags on a version and refuses a 16th with 400 BadParameter, on set and on update', async () => {
      const tags = (count: number): Record<string, string> =>
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag${i}`, `value ${i}`]));
      assert.equal(
        (await call('PUT', `/secrets/tagged?${v}`, { body: { value: 'x', tags: tags(15) } })).status,
        200,
      );
      for (const method of ['PUT', 'PATCH']) {
        assert.deepEqual(
          (await call(method, `/secrets/tagged?${v}`, { body: { value: 'x', tags: tags(16) } })).body,
          error('BadParameter', 'Property has invalid value'),
        );
      }
      const latest = await call('GET', `/secrets/tagged?${v}`);
      assert.equal(Object.keys((latest.body as { tags: object }).tags).length, 15, 'nothing changed');
    });

    it('answers a purge with 204 and no body', async () => {
      await call('PUT', `/secrets/purge-me?${v}`, { body: { value: 'x' } });
      await call('DELETE', `/secrets/purge-me?${v}`);
      const purged = await call('DELETE', `/deletedsecrets/purge-me?${v}`);
      assert.equal(purged.status, 204);
      assert.equal(purged.body, undefined);
    });

    it('answers 400 BadParameter for a page size outside 1–25', async () => {
      for (const size of ['0', '26', 'ten']) {
        assertError(await call('GET', `/secrets?${v}&maxresults=${size}`), 400, 'BadParameter', /maxresults/);
      }
    });
  });

  describe('published Key Vault examples', () => {
    const recoverableDays = 'attributes.recoverableDays';

    it('SetSecret: takes the example request and answers in its shape', async () => {
      const sample = fixture('rest-keyvault-SetSecret.json') as Sample;
      const { parameters } = sample;
      const answer = await call(
        'PUT',
        `/secrets/${String(parameters['secret-name'])}?api-version=${String(parameters['api-version'])}`,
        { body: parameters.parameters },
      );
      assert.equal(answer.status, 200);
      assertSampleShape(answer.body, sample.responses['200'].body, [recoverableDays]);
      assert.match(
        (answer.body as { id: string }).id,
        /^https:\/\/localhost:\d+\/secrets\/crpsecret\/[0-9a-f]{32}$/,
      );
    });

    it('GetSecret: answers a version in the example’s shape', async () => {
      const sample = fixture('rest-keyvault-GetSecret.json') as Sample;
      const name = String(sample.parameters['secret-name']);
      const set = await call('PUT', `/secrets/${name}?api-version=7.5`, { body: { value: 'mysecretvalue' } });
      const version = (set.body as { id: string }).id.split('/').at(-1) ?? '';
      const answer = await call('GET', `/secrets/${name}/${version}?api-version=7.5`);
      assert.equal(answer.status, 200);
      assertSampleShape(answer.body, sample.responses['200'].body, [recoverableDays]);
    });

    it('UpdateSecret: takes the example request and answers in its shape, without the value', async () => {
      const sample = fixture('rest-keyvault-UpdateSecret.json') as Sample;
      const name = String(sample.parameters['secret-name']);
      const set = await call('PUT', `/secrets/${name}?api-version=7.5`, { body: { value: 'before update' } });
      const { id } = set.body as { id: string };
      const answer = await call('PATCH', `${id.slice(sandbox.url.length)}?api-version=7.5`, {
        body: sample.parameters.parameters,
      });
      assert.equal(answer.status, 200);
      assertSampleShape(answer.body, sample.responses['200'].body, [recoverableDays]);
      const body = answer.body as { tags: unknown; contentType: string };
      assert.deepEqual(body.tags, { mytag: 'myvalue' });
      assert.equal(body.contentType, 'myContentType');
    });

    // The example's own nextLink resumes at a version id above the one on its first page: Key Vault pages
    // versions in ascending order of their ids (its skiptoken decodes to `secret/NAME/VERSION`).
    it('GetSecretVersions: pages one version at a time in version-id order with an absolute nextLink, in the example’s shape', async () => {
      const sample = fixture('rest-keyvault-GetSecretVersions.json') as Sample;
      const name = String(sample.parameters['secret-name']);
      const ids: string[] = [];
      for (const value of ['first', 'second']) {
        ids.push(
          (
            (await call('PUT', `/secrets/${name}?api-version=7.5`, { body: { value } })).body as {
              id: string;
            }
          ).id,
        );
      }
      ids.sort();
      const first = await call('GET', `/secrets/${name}/versions?api-version=7.5&maxresults=1`);
      assert.equal(first.status, 200);
      assertSampleShape(first.body, sample.responses['200'].body, [
        'value[].attributes.recoveryLevel',
        'value[].attributes.recoverableDays',
      ]);
      const page = first.body as { value: { id: string }[]; nextLink: string };
      assert.deepEqual(
        page.value.map((item) => item.id),
        [ids[0]],
      );
      assert.match(
        page.nextLink,
        new RegExp(
          `^${sandbox.url}/secrets/${name}/versions\\?api-version=7\\.5&\\$skiptoken=[\\w-]+&maxresults=1$`,
        ),
      );

      const second = (await call('GET', page.nextLink.slice(sandbox.url.length))).body as typeof page;
      assert.deepEqual(
        second.value.map((item) => item.id),
        [ids[1]],
      );
      assert.equal(second.nextLink, null);
    });
  });
});
