import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SandboxIdentity } from '../../dev/sandbox/context';
import { registryModule } from '../../dev/sandbox/registry/module';
import type { SandboxRegistry } from '../../dev/sandbox/registry/module';
import type { SandboxServer } from '../../dev/sandbox/server';
import { audiences } from '../../dev/sandbox/tokens';
import { fixture } from '../support/fixtures';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { shapeOf } from '../support/shape';

const loginServer = 'acrapi.azurecr-test.io';
const apiVersion = 'api-version=2021-07-01';

interface Example {
  parameters: Record<string, string>;
  responses: Record<string, { body?: unknown }>;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

function jwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'a JWT has three parts');
  return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('sandbox registry REST API against the published examples', () => {
  let registry: SandboxRegistry;
  let sandbox: SandboxServer & { identity: SandboxIdentity };
  let entraToken: string;
  let accessToken: string;
  const digests = new Map<string, string>();

  async function call(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; form?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  /** The SDK's token exchange done by hand: Entra token → registry refresh token → access token for `scope`. */
  async function registryToken(scope: string): Promise<{ refreshToken: string; accessToken: string }> {
    const exchange = await call('POST', `/oauth2/exchange?${apiVersion}`, {
      form: { grant_type: 'access_token', service: 'localhost', access_token: entraToken },
    });
    assert.equal(exchange.status, 200);
    const refreshToken = (exchange.body as { refresh_token: string }).refresh_token;
    const token = await call('POST', `/oauth2/token?${apiVersion}`, {
      form: { grant_type: 'refresh_token', service: 'localhost', scope, refresh_token: refreshToken },
    });
    assert.equal(token.status, 200);
    return { refreshToken, accessToken: (token.body as { access_token: string }).access_token };
  }

  before(async () => {
    registry = registryModule({ loginServer });
    sandbox = await startTestSandbox([registry.module]);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    entraToken = (await credential.getToken(`${audiences.containerRegistry}/.default`)).token;
    for (const reference of [
      'production/alpine:3.7',
      'testing/alpine:3.7',
      'alpine:3.7',
      'nanoserver:4.7.2-20180905-nanoserver-1803',
      'nanoserver:4.7.2-20180906-nanoserver-1803',
    ])
      digests.set(reference, (await registry.push(reference)).digest);
    accessToken = (
      await registryToken(
        'registry:catalog:* repository:nanoserver:metadata_read,delete repository:alpine:delete repository:nosuch:metadata_read',
      )
    ).accessToken;
  });
  after(() => sandbox.close());

  it('gives a refresh token the SDK can read: a JWT whose exp is over an hour away', async () => {
    const { refreshToken } = await registryToken('registry:catalog:*');
    const exp = jwtPayload(refreshToken).exp;
    assert.equal(typeof exp, 'number');
    assert.ok((exp as number) * 1000 > Date.now() + 3600_000);
  });

  it('answers GetRepositoryList in the example shape', async () => {
    const example = fixture('rest-acr-GetRepositoryList.json') as Example;
    const res = await call('GET', `/acr/v1/_catalog?${apiVersion}`, { token: accessToken });
    assert.equal(res.status, 200);
    assert.deepEqual(shapeOf(res.body), shapeOf(example.responses['200']?.body));
    assert.deepEqual(res.body, {
      repositories: ['alpine', 'nanoserver', 'production/alpine', 'testing/alpine'],
    });
  });

  it('answers GetTagList in the example shape', async () => {
    const example = fixture('rest-acr-GetTagList.json') as Example;
    const res = await call('GET', `/acr/v1/${example.parameters.name ?? ''}/_tags?${apiVersion}`, {
      token: accessToken,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(shapeOf(res.body), shapeOf(example.responses['200']?.body));
    assert.equal((res.body as { registry: string }).registry, loginServer);

    const digest = digests.get('nanoserver:4.7.2-20180906-nanoserver-1803') ?? '';
    const filtered = await call(
      'GET',
      `/acr/v1/nanoserver/_tags?digest=${encodeURIComponent(digest)}&${apiVersion}`,
      { token: accessToken },
    );
    assert.deepEqual(
      (filtered.body as { tags: { name: string }[] }).tags.map((t) => t.name),
      ['4.7.2-20180906-nanoserver-1803'],
      "the spec's digest filter",
    );
  });

  it('answers GetManifestList in the example shape', async () => {
    const example = fixture('rest-acr-GetManifestList.json') as Example;
    const res = await call('GET', `/acr/v1/${example.parameters.name ?? ''}/_manifests?${apiVersion}`, {
      token: accessToken,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(shapeOf(res.body), shapeOf(example.responses['200']?.body));
  });

  it('answers GetManifestAttributes in the example shape, for a digest the sandbox made', async () => {
    const example = fixture('rest-acr-GetManifestAttributes.json') as Example;
    const digest = digests.get('nanoserver:4.7.2-20180905-nanoserver-1803') ?? '';
    const res = await call(
      'GET',
      `/acr/v1/${example.parameters.name ?? ''}/_manifests/${encodeURIComponent(digest)}?${apiVersion}`,
      { token: accessToken },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(shapeOf(res.body), shapeOf(example.responses['200']?.body));
  });

  it('answers DeleteTag with 202, then 404 once the tag is gone', async () => {
    const { parameters } = fixture('rest-acr-DeleteTag.json') as Example;
    const path = `/acr/v1/${parameters.name ?? ''}/_tags/${parameters.reference ?? ''}?${apiVersion}`;
    const first = await call('DELETE', path, { token: accessToken });
    assert.deepEqual([first.status, first.body], [202, undefined]);
    const again = await call('DELETE', path, { token: accessToken });
    assert.equal(again.status, 404);
    assert.equal((again.body as { errors: { code: string }[] }).errors[0]?.code, 'TAG_UNKNOWN');
  });

  it('answers DeleteManifest, by tag as the example has it, with 202, then 404', async () => {
    const { parameters } = fixture('rest-acr-DeleteManifest.json') as Example;
    const path = `/v2/${parameters.name ?? ''}/manifests/${parameters.reference ?? ''}`;
    const first = await call('DELETE', path, { token: accessToken });
    assert.deepEqual([first.status, first.body], [202, undefined]);
    const again = await call('DELETE', path, { token: accessToken });
    assert.equal(again.status, 404);
  });

  it("answers an unknown repository with 404 NAME_UNKNOWN in ACR's error shape", async () => {
    const res = await call('GET', `/acr/v1/nosuch?${apiVersion}`, { token: accessToken });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      errors: [
        {
          code: 'NAME_UNKNOWN',
          message: 'repository name not known to registry',
          detail: { name: 'nosuch' },
        },
      ],
    });
  });

  it('challenges a call whose token does not cover the repository', async () => {
    const res = await call('GET', `/acr/v1/testing%2Falpine/_tags?${apiVersion}`, { token: accessToken });
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      `Bearer realm="${sandbox.url}/oauth2/token",service="localhost",scope="repository:testing/alpine:metadata_read"`,
    );
    assert.equal((res.body as { errors: { code: string }[] }).errors[0]?.code, 'UNAUTHORIZED');
  });

  it('refuses a page size that is not a positive number', async () => {
    const res = await call('GET', `/acr/v1/_catalog?n=0&${apiVersion}`, { token: accessToken });
    assert.equal(res.status, 400);
    assert.equal((res.body as { errors: { code: string }[] }).errors[0]?.code, 'PAGINATION_NUMBER_INVALID');
  });

  it('pushes through the sandbox route with a Microsoft Entra token, answering 201 with the digest', async () => {
    const res = await call('POST', '/_sandbox/registry/images', {
      token: entraToken,
      json: { repository: 'contoso/web', tag: '5.0.0', faults: { errorRate: 0.5, unhealthy: true } },
    });
    assert.equal(res.status, 201);
    const body = res.body as { repository: string; tag: string; digest: string; deliveries: unknown[] };
    assert.match(body.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(res.headers.get('docker-content-digest'), body.digest);
    assert.deepEqual([body.repository, body.tag, body.deliveries], ['contoso/web', '5.0.0', []]);
    assert.deepEqual(registry.faultsOf(`${loginServer}/contoso/web:5.0.0`), {
      errorRate: 0.5,
      latencyMs: 0,
      unhealthy: true,
      startDelayMs: 0,
      crashAfterRequests: 0,
    });
  });

  it('refuses a push without a Microsoft Entra token for the registry', async () => {
    const res = await call('POST', '/_sandbox/registry/images', {
      token: accessToken,
      json: { repository: 'contoso/web', tag: '6.0.0' },
    });
    assert.equal(res.status, 401);
    assert.equal((res.body as { errors: { code: string }[] }).errors[0]?.code, 'UNAUTHORIZED');
    assert.equal(registry.faultsOf('contoso/web:6.0.0'), undefined);
  });

  it("answers a push body that is not JSON with 400 in ACR's error shape", async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/registry/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${entraToken}`, 'content-type': 'application/json' },
      body: '{"repository": ',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { errors: { code: string }[] };
    assert.equal(body.errors[0]?.code, 'UNSUPPORTED');
  });

  it('refuses a bad push body with 400, naming every problem', async () => {
    const res = await call('POST', '/_sandbox/registry/images', {
      token: entraToken,
      json: { repository: 'Not A Name', tag: '', faults: { errorRate: 2, explode: 'yes' } },
    });
    assert.equal(res.status, 400);
    const errors = (res.body as { errors: { code: string; message: string }[] }).errors;
    assert.deepEqual(
      errors.map((e) => e.code),
      ['NAME_INVALID', 'TAG_INVALID', 'MANIFEST_INVALID', 'MANIFEST_INVALID'],
    );
    assert.ok(errors.some((e) => e.message.startsWith('faults.errorRate')));
  });
});
