import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { VirtualClock } from '../../dev/host/clock';
import { durableClientData } from '../../dev/host/durable/clientBinding';
import type { LocalHost } from '../../dev/host/host';
import { queryInstances } from '../../src/azure/taskHubInstances';
import { loadConfig } from '../../src/config';
import { targetReleases } from '../../src/functions/targetReleases';
import { activeReleasesOf } from '../../src/releaseControl';
import { startTestHost, tempDir, testKeys, testSettings } from '../support/testHost';

const systemKey = testKeys.system.durabletask_extension ?? '';
const taskHub = testSettings.Values.TEST_TASK_HUB;

/** The durable client input as the host hands it to a function, with the binding's data. */
const durableClient = df.input.durableClient();

/** A real InvocationContext of a function with the durable client binding `data`. */
function contextWith(data: Record<string, unknown>): InvocationContext {
  const context = new InvocationContext({
    functionName: 'targetReleases',
    options: { extraInputs: [durableClient] },
  });
  context.extraInputs.set(durableClient, data);
  return context;
}

/** Every URL the code under test fetched while `run` ran; fetch itself still does the work. */
async function fetchedDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; urls: URL[]; tokens: (string | null)[] }> {
  const spy = mock.method(globalThis, 'fetch');
  try {
    const result = await run();
    const calls = spy.mock.calls.map((c) => c.arguments);
    return {
      result,
      urls: calls.map(([input]) => new URL(input instanceof Request ? input.url : String(input))),
      tokens: calls.map(([, init]) => new Headers(init?.headers).get('x-ms-continuation-token')),
    };
  } finally {
    spy.mock.restore();
  }
}

describe('listing a target’s instances by id prefix through the task hub’s HTTP API', () => {
  const clock = new VirtualClock(Date.parse('2026-06-01T08:00:00Z'));
  let host: LocalHost;
  let context: InvocationContext;
  const config = (() => {
    const root = tempDir('task-hub-instances');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    const target = (name: string): Record<string, unknown> => ({
      name,
      site: { subscriptionId: '00000000-0000-0000-0000-0000000a2e06', resourceGroup: 'rg', name },
      registry: { loginServer: 'contoso.azurecr.io', repository: `contoso/${name}` },
    });
    writeFileSync(
      join(root, 'targets.json'),
      JSON.stringify({ targets: ['web', 'api', 'webshop'].map(target) }),
    );
    return loadConfig(
      {
        SHEPHERD_TASK_HUB: 'TaskHubInstances',
        SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
        SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
        SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
      },
      root,
    );
  })();

  /**
   * Starts `name` (the test app's orchestrations) as `instanceId`, a second after the last; `approval`
   * waits an hour, far longer than the seeding takes, so it stays running.
   */
  async function seed(name: 'approval' | 'sequence', instanceId: string): Promise<void> {
    await clock.advance(1000);
    assert.deepEqual(host.engine.startNew(name, { instanceId }), { started: instanceId });
  }

  before(async () => {
    host = await startTestHost({ clock });
    // The target's own: two waiting for approval (running), one finished.
    await seed('approval', 'release:web:first');
    await seed('sequence', 'release:web:done');
    await seed('approval', 'release:web:latest');
    // Everyone else's: a target whose name starts like it, another target's many, a backup of it.
    await seed('approval', 'release:webshop:1');
    for (let i = 0; i < 120; i++) await seed('approval', `release:api:${String(i).padStart(3, '0')}`);
    await seed('approval', 'backup:web:1');
    await host.idle();
    context = contextWith(durableClientData(host.url, taskHub, systemKey));
  });
  after(() => host.stop());

  it('lists a target’s releases newest first, asking the task hub only for its own', async () => {
    const request = new HttpRequest({
      method: 'GET',
      url: `${host.url}/api/targets/web/releases?top=50`,
      params: { target: 'web' },
    });
    const { result, urls } = await fetchedDuring(
      async () => (await targetReleases(config)(request, context)) as HttpResponseInit,
    );
    assert.equal(result.status, 200);
    const body = result.jsonBody as { target: string; releases: { id: string; runtimeStatus: string }[] };
    assert.deepEqual(
      body.releases.map((r) => [r.id, r.runtimeStatus]),
      [
        ['release:web:latest', 'Running'],
        ['release:web:done', 'Completed'],
        ['release:web:first', 'Running'],
      ],
    );
    assert.equal(urls.length, 1, 'one page: the other targets’ instances were never read');
    assert.equal(urls[0]?.searchParams.get('instanceIdPrefix'), 'release:web:');
    assert.ok(!JSON.stringify(result).includes(systemKey), 'the system key stays out of the answer');
  });

  it('finds a target’s running releases for rollbacks, alerts and supersedes, and nothing else', async () => {
    const { result, urls } = await fetchedDuring(() => activeReleasesOf(df.getClient(context), 'web'));
    assert.deepEqual(
      result.map((r) => r.id),
      ['release:web:first', 'release:web:latest'],
    );
    assert.ok(result.every((r) => !Number.isNaN(Date.parse(r.createdTime)) && r.createdTime.endsWith('Z')));
    assert.deepEqual(
      urls.map((u) => [u.searchParams.get('instanceIdPrefix'), u.searchParams.get('runtimeStatus')]),
      [['release:web:', 'Running,Pending']],
    );
  });

  it('reads every page the task hub answers, passing its continuation token back', async () => {
    const { result, urls, tokens } = await fetchedDuring(() =>
      queryInstances(df.getClient(context), { instanceIdPrefix: 'release:api:', pageSize: 50 }),
    );
    assert.equal(result.length, 120);
    assert.equal(new Set(result.map((s) => s.instanceId)).size, 120);
    assert.equal(urls.length, 3);
    assert.equal(tokens[0], null);
    assert.ok(
      tokens.slice(1).every((t) => typeof t === 'string' && t !== ''),
      String(tokens),
    );
  });

  it('says why a query failed without the URL or the system key', async () => {
    const wrongKey = `${systemKey}-wrong`;
    const refused = df.getClient(contextWith(durableClientData(host.url, taskHub, wrongKey)));
    await assert.rejects(queryInstances(refused, { instanceIdPrefix: 'release:web:' }), (err: Error) => {
      assert.equal(err.message, "The task hub's instances could not be listed: it answered 401.");
      return true;
    });
    const gone = df.getClient(contextWith(durableClientData('http://127.0.0.1:9', taskHub, systemKey)));
    await assert.rejects(queryInstances(gone, { instanceIdPrefix: 'release:web:' }), (err: Error) => {
      assert.ok(!err.message.includes(systemKey) && !err.message.includes('127.0.0.1'), err.message);
      assert.equal(err.cause, undefined);
      return true;
    });
  });

  it('asks the host’s local RPC endpoint when the binding names one, as durable-functions does', async () => {
    const asked: string[] = [];
    const rpc = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((resolve) => rpc.listen(0, '127.0.0.1', resolve));
    try {
      const data = {
        ...durableClientData(host.url, taskHub, systemKey),
        rpcBaseUrl: `http://127.0.0.1:${(rpc.address() as AddressInfo).port}/durabletask/`,
      };
      assert.deepEqual(
        await queryInstances(df.getClient(contextWith(data)), { instanceIdPrefix: 'release:web:' }),
        [],
      );
      assert.equal(asked.length, 1);
      const url = new URL(asked[0] ?? '', 'http://rpc');
      assert.equal(url.pathname, '/durabletask/instances/');
      assert.equal(url.searchParams.get('instanceIdPrefix'), 'release:web:');
    } finally {
      rpc.close();
    }
  });
});
