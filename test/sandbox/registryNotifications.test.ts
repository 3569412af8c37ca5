import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ContainerRegistryClient } from '@azure/container-registry';
import { VirtualClock } from '../../dev/host/clock';
import type { SandboxIdentity } from '../../dev/sandbox/context';
import { registryModule } from '../../dev/sandbox/registry/module';
import type { SandboxRegistry } from '../../dev/sandbox/registry/module';
import type { SandboxServer } from '../../dev/sandbox/server';
import { audiences } from '../../dev/sandbox/tokens';
import { fixture } from '../support/fixtures';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { shapeOf } from '../support/shape';

const loginServer = 'contosoregistry.azurecr.io';

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A local HTTP endpoint that records what it is sent and answers `statusFor(n)` to the n-th request (from 0). */
interface Receiver {
  url: string;
  received: Received[];
  answer(statusFor: (n: number) => number): void;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let statusFor = (_n: number): number => 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statusFor(received.length);
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?code=secret-key`,
    received,
    answer: (f) => (statusFor = f),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('sandbox registry notifications: webhooks and Event Grid', () => {
  const clock = new VirtualClock(Date.parse('2026-04-01T12:00:00Z'));
  let pushHook: Receiver;
  let allHook: Receiver;
  let grid: Receiver;
  let registry: SandboxRegistry;
  let sandbox: SandboxServer & { identity: SandboxIdentity };
  let client: ContainerRegistryClient;

  before(async () => {
    [pushHook, allHook, grid] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
    registry = registryModule({
      loginServer,
      subscriptionId: '11111111-2222-3333-4444-555555555555',
      resourceGroup: 'shepherd-rg',
      webhooks: [
        {
          name: 'onpush',
          serviceUri: pushHook.url,
          actions: ['push'],
          customHeaders: { 'x-shepherd-key': 'k1' },
        },
        { name: 'onall', serviceUri: allHook.url, actions: ['push', 'delete'] },
      ],
      eventGrid: { endpoint: grid.url, schema: 'CloudEvents' },
      retryDelaysMs: [5, 5],
    });
    sandbox = await startTestSandbox([registry.module], clock);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    client = new ContainerRegistryClient(sandbox.url, credential, { audience: audiences.containerRegistry });
  });
  after(async () => {
    await sandbox.close();
    await Promise.all([pushHook.close(), allHook.close(), grid.close()]);
  });
  beforeEach(() => {
    for (const r of [pushHook, allHook, grid]) {
      r.received.length = 0;
      r.answer(() => 200);
    }
  });

  it('posts the push webhook with its custom headers, shaped as the webhook reference example', async () => {
    const { digest, deliveries } = await registry.push('contoso/web:1.2.0');

    assert.deepEqual(
      deliveries.map((d) => [d.kind, d.name, d.ok, d.attempts]),
      [
        ['webhook', 'onpush', true, 1],
        ['webhook', 'onall', true, 1],
        ['eventGrid', 'eventGrid', true, 1],
      ],
    );
    assert.ok(
      deliveries.every((d) => !d.endpoint.includes('secret-key')),
      'results never show the query',
    );

    assert.equal(pushHook.received.length, 1);
    const call = pushHook.received.at(0);
    assert.ok(call);
    assert.equal(call.headers['x-shepherd-key'], 'k1');
    assert.equal(call.headers['content-type'], 'application/json');
    assert.deepEqual(shapeOf(call.body), shapeOf(fixture('acr-webhook-push.json')));
    const body = call.body as {
      action: string;
      target: Record<string, unknown>;
      request: Record<string, unknown>;
    };
    assert.equal(body.action, 'push');
    assert.deepEqual(
      { ...body.target, size: undefined, length: undefined },
      {
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        size: undefined,
        digest,
        length: undefined,
        repository: 'contoso/web',
        tag: '1.2.0',
      },
    );
    assert.equal(body.target.size, body.target.length);
    assert.equal(body.request.host, loginServer);
    assert.equal(body.request.method, 'PUT');
    assert.equal(allHook.received[0]?.headers['x-shepherd-key'], undefined, 'headers are per webhook');
  });

  it('sends the ImagePushed event as a CloudEvents batch shaped as the published sample', async () => {
    const { digest } = await registry.push('contoso/web:1.3.0');

    assert.equal(grid.received.length, 1);
    const delivery = grid.received.at(0);
    assert.ok(delivery);
    assert.equal(delivery.headers['aeg-event-type'], 'Notification');
    assert.equal(delivery.headers['content-type'], 'application/cloudevents-batch+json; charset=utf-8');
    assert.deepEqual(shapeOf(delivery.body), shapeOf(fixture('eventgrid-acr-imagepushed.cloudevents.json')));
    const [event] = delivery.body as {
      source: string;
      subject: string;
      type: string;
      time: string;
      data: { target: { digest: string } };
    }[];
    assert.equal(event?.type, 'Microsoft.ContainerRegistry.ImagePushed');
    assert.equal(event.subject, 'contoso/web:1.3.0');
    assert.equal(
      event.source,
      '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shepherd-rg/providers/Microsoft.ContainerRegistry/registries/contosoregistry',
    );
    assert.equal(event.time, new Date(clock.now()).toISOString());
    assert.equal(event.data.target.digest, digest);
    assert.deepEqual(event.data, allHook.received[0]?.body, 'the event carries the webhook payload');
  });

  it('sends the delete webhook and ImageDeleted event when a manifest is deleted, and nothing when only a tag is', async () => {
    const { digest } = await registry.push('contoso/api:1.0.0');
    await registry.push('contoso/api:1.0.1');
    for (const r of [pushHook, allHook, grid]) r.received.length = 0;

    await client.getArtifact('contoso/api', '1.0.1').deleteTag('1.0.1');
    await client.getArtifact('contoso/api', '1.0.0').delete();
    await registry.idle();

    assert.equal(pushHook.received.length, 0, 'a push-only webhook hears no deletes');
    assert.equal(allHook.received.length, 1, 'the tag delete sent nothing');
    const hook = allHook.received[0]?.body as {
      action: string;
      target: unknown;
      request: { method: string };
    };
    assert.deepEqual(shapeOf(hook), shapeOf(fixture('acr-webhook-delete.json')));
    assert.equal(hook.action, 'delete');
    assert.deepEqual(hook.target, {
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      digest,
      repository: 'contoso/api',
    });
    assert.equal(hook.request.method, 'DELETE');

    const [event] = grid.received[0]?.body as { type: string; subject: string; data: unknown }[];
    assert.equal(event?.type, 'Microsoft.ContainerRegistry.ImageDeleted');
    assert.equal(event.subject, 'contoso/api');
    assert.deepEqual(event.data, hook);
  });

  it('retries a failing endpoint until it takes the delivery, counting attempts as Event Grid does', async () => {
    grid.answer((n) => (n < 2 ? 503 : 200));

    const { deliveries } = await registry.push('contoso/web:2.0.0');

    assert.deepEqual(
      deliveries.find((d) => d.kind === 'eventGrid'),
      {
        kind: 'eventGrid',
        name: 'eventGrid',
        endpoint: grid.url.split('?')[0],
        ok: true,
        attempts: 3,
        status: 200,
      },
    );
    assert.deepEqual(
      grid.received.map((r) => r.headers['aeg-delivery-count']),
      ['0', '1', '2'],
    );
  });

  it('gives up on an endpoint that keeps failing, and the push still stands', async () => {
    pushHook.answer(() => 500);
    allHook.answer(() => 400);

    const { digest, deliveries } = await registry.push('contoso/web:3.0.0');

    const byName = new Map(deliveries.map((d) => [d.name, d]));
    assert.deepEqual(
      [byName.get('onpush')?.ok, byName.get('onpush')?.attempts, byName.get('onpush')?.status],
      [false, 3, 500],
    );
    assert.deepEqual(
      [byName.get('onall')?.ok, byName.get('onall')?.attempts],
      [false, 1],
      'a 400 is not worth retrying',
    );
    assert.equal(byName.get('eventGrid')?.ok, true);
    const tag = await client.getArtifact('contoso/web', '3.0.0').getTagProperties('3.0.0');
    assert.equal(tag.digest, digest);
  });

  it('reports an endpoint that cannot be reached without failing the push', async () => {
    const gone = await startReceiver();
    await gone.close();
    const unreachable = registryModule({
      loginServer,
      webhooks: [{ name: 'gone', serviceUri: gone.url, actions: ['push'] }],
      retryDelaysMs: [1],
    });
    const other = await startTestSandbox([unreachable.module], clock);
    try {
      const { deliveries } = await unreachable.push('lonely:1');
      assert.deepEqual(
        deliveries.map((d) => [d.name, d.ok, d.attempts]),
        [['gone', false, 2]],
      );
      assert.match(deliveries.at(0)?.error ?? '', /ECONNREFUSED/);
      assert.notEqual(unreachable.faultsOf('lonely:1'), undefined);
    } finally {
      await other.close();
    }
  });

  it('delivers the Event Grid schema when the subscription asks for it', async () => {
    const eventGridSchema = registryModule({
      loginServer,
      eventGrid: { endpoint: grid.url, schema: 'EventGrid' },
      retryDelaysMs: [],
    });
    const other = await startTestSandbox([eventGridSchema.module], clock);
    try {
      await eventGridSchema.push('contoso/web:4.0.0');
      const event = (grid.received.at(0)?.body as Record<string, unknown>[] | undefined)?.at(0);
      assert.ok(event);
      assert.deepEqual(Object.keys(event).sort(), [
        'data',
        'dataVersion',
        'eventTime',
        'eventType',
        'id',
        'metadataVersion',
        'subject',
        'topic',
      ]);
      assert.equal(event.eventType, 'Microsoft.ContainerRegistry.ImagePushed');
      assert.equal(event.subject, 'contoso/web:4.0.0');
      assert.equal(grid.received[0]?.headers['content-type'], 'application/json; charset=utf-8');
    } finally {
      await other.close();
    }
  });
});
