import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { SecretClient } from '@azure/keyvault-secrets';
import { VirtualClock } from '../../dev/host/clock';
import type { SandboxIdentity } from '../../dev/sandbox/context';
import type { EventGridEvent, SecretEventData } from '../../dev/sandbox/keyVault/events';
import { expiryNotices } from '../../dev/sandbox/keyVault/expiry';
import { keyVaultModule } from '../../dev/sandbox/keyVault/module';
import type { KeyVaultHandle, KeyVaultOptions } from '../../dev/sandbox/keyVault/module';
import type { SandboxServer } from '../../dev/sandbox/server';
import { fixture } from '../support/fixtures';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

const day = 86_400_000;
const start = Date.UTC(2026, 0, 1);
const nearExpiry = 'Microsoft.KeyVault.SecretNearExpiry';
const expired = 'Microsoft.KeyVault.SecretExpired';
const newVersion = 'Microsoft.KeyVault.SecretNewVersionCreated';

type KeyVaultEvent = EventGridEvent<SecretEventData>;

interface Request {
  url: string;
  headers: IncomingHttpHeaders;
  events: KeyVaultEvent[];
  answered: number;
}

/** An Event Grid subscriber on 127.0.0.1 that records every request; it can fail the next few. */
async function startReceiver(t: TestContext): Promise<{
  url: string;
  requests: Request[];
  failNext(count: number, status: number): void;
}> {
  const requests: Request[] = [];
  let failures = { count: 0, status: 200 };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const answered = failures.count-- > 0 ? failures.status : 200;
      requests.push({
        url: req.url ?? '',
        headers: req.headers,
        events: JSON.parse(body) as KeyVaultEvent[],
        answered,
      });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext: (count, status) => (failures = { count, status }),
  };
}

interface Vault {
  sandbox: SandboxServer & { identity: SandboxIdentity };
  vault: KeyVaultHandle;
  client: SecretClient;
  clock: VirtualClock;
  settle: () => Promise<void>;
}

/** A vault on a virtual clock, closed when the test ends. */
async function startVault(t: TestContext, options: Omit<KeyVaultOptions, 'vaultName'>): Promise<Vault> {
  const clock = new VirtualClock(start);
  let vault: KeyVaultHandle | undefined;
  const sandbox = await startTestSandbox(
    [(app, ctx) => (vault = keyVaultModule({ vaultName: 'shepherd-kv', ...options })(app, ctx))],
    clock,
  );
  t.after(() => sandbox.close());
  if (!vault) throw new Error('The vault module did not start.');
  const credential = sandboxCredential(sandbox.url, sandbox.identity);
  const client = new SecretClient(sandbox.url, credential, { disableChallengeResourceVerification: true });
  const handle = vault;
  return { sandbox, vault: handle, client, clock, settle: () => handle.idle() };
}

/** A vault whose events go to a fresh receiver, with retries a millisecond apart. */
async function startWatchedVault(t: TestContext): Promise<Vault & Awaited<ReturnType<typeof startReceiver>>> {
  const receiver = await startReceiver(t);
  const vault = await startVault(t, {
    subscriptionId: 'sub-1',
    resourceGroup: 'rg-1',
    eventGrid: { endpoint: `${receiver.url}/api/events?code=function-key`, retryDelaysMs: [1, 1, 1] },
  });
  return { ...receiver, ...vault };
}

function eventsOf(requests: readonly Request[], ...types: string[]): KeyVaultEvent[] {
  return requests
    .filter((r) => r.answered === 200)
    .flatMap((r) => r.events)
    .filter((e) => types.length === 0 || types.includes(e.eventType));
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

describe('sandbox Key Vault events to Event Grid', () => {
  it('sends SecretNewVersionCreated on every set, in the Event Grid schema with the sample’s fields', async (t) => {
    const kv = await startWatchedVault(t);
    const secret = await kv.client.setSecret('db-password', 'v1');
    await kv.settle();

    assert.equal(kv.requests.length, 1);
    const [request] = kv.requests;
    assert.equal(request?.url, '/api/events?code=function-key');
    assert.equal(request.headers['aeg-event-type'], 'Notification');
    assert.match(request.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(request.events.length, 1, 'one event per delivery, in an array');
    const [event] = request.events;
    assert.match(event?.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(event, {
      id: event?.id,
      topic: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/shepherd-kv',
      subject: 'db-password',
      eventType: newVersion,
      eventTime: '2026-01-01T00:00:00.000Z',
      data: {
        Id: secret.properties.id,
        VaultName: 'shepherd-kv',
        ObjectType: 'Secret',
        ObjectName: 'db-password',
        Version: secret.properties.version,
        NBF: null,
        EXP: null,
      },
      dataVersion: '1',
      metadataVersion: '1',
    });
    // The published sample has stray spaces in two keys; its fields are otherwise the same, in order.
    const [sample] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as [KeyVaultEvent];
    assert.deepEqual(Object.keys(event), Object.keys(sample));
    assert.deepEqual(
      Object.keys(event.data),
      Object.keys(sample.data).map((key) => key.trim()),
    );

    const expiresOn = new Date(start + 200 * day);
    const second = await kv.client.setSecret('db-password', 'v2', { notBefore: new Date(start), expiresOn });
    await kv.settle();
    const events = eventsOf(kv.requests, newVersion);
    assert.equal(events.length, 2);
    assert.deepEqual(events[1]?.data, {
      ...event.data,
      Id: second.properties.id,
      Version: second.properties.version,
      NBF: seconds(start),
      EXP: seconds(expiresOn.getTime()),
    });
  });

  it('sends SecretNearExpiry when the clock reaches 30 days before expiry, and SecretExpired at expiry', async (t) => {
    const kv = await startWatchedVault(t);
    const expiresOn = new Date(start + 40 * day);
    const secret = await kv.client.setSecret('rotating', 'v1', { expiresOn });

    await kv.clock.advance(10 * day - 1, kv.settle);
    assert.deepEqual(eventsOf(kv.requests, nearExpiry, expired), []);

    await kv.clock.advance(1, kv.settle);
    const [near, ...more] = eventsOf(kv.requests, nearExpiry, expired);
    assert.equal(more.length, 0);
    assert.deepEqual(near, {
      id: near?.id,
      topic: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/shepherd-kv',
      subject: 'rotating',
      eventType: nearExpiry,
      eventTime: '2026-01-11T00:00:00.000Z',
      data: {
        Id: secret.properties.id,
        VaultName: 'shepherd-kv',
        ObjectType: 'Secret',
        ObjectName: 'rotating',
        Version: secret.properties.version,
        NBF: null,
        EXP: seconds(expiresOn.getTime()),
      },
      dataVersion: '1',
      metadataVersion: '1',
    });

    await kv.clock.advance(30 * day - 1, kv.settle);
    assert.deepEqual(eventsOf(kv.requests, expired), []);
    await kv.clock.advance(1, kv.settle);
    assert.deepEqual(
      eventsOf(kv.requests, expired).map((e) => [e.eventTime, e.data.Version, e.data.EXP]),
      [[expiresOn.toISOString(), secret.properties.version, seconds(expiresOn.getTime())]],
    );

    await kv.clock.advance(365 * day, kv.settle);
    assert.equal(eventsOf(kv.requests, nearExpiry, expired).length, 2, 'each is sent once');
  });

  it('sends SecretNearExpiry for each version a rotation writes, 30 days before that version’s own expiry', async (t) => {
    const kv = await startWatchedVault(t);
    const firstExpiry = new Date(start + 120 * day);
    const first = await kv.client.setSecret('rotated', 'v1', { expiresOn: firstExpiry });

    await kv.clock.advance(90 * day, kv.settle);
    const secondExpiry = new Date(start + 210 * day);
    const second = await kv.client.setSecret('rotated', 'v2', { expiresOn: secondExpiry });
    await kv.clock.advance(90 * day - 1, kv.settle);
    assert.equal(eventsOf(kv.requests, nearExpiry).length, 1, 'the new version is not near its expiry yet');
    await kv.clock.advance(1, kv.settle);

    const near = eventsOf(kv.requests, nearExpiry);
    assert.deepEqual(
      near.map((e) => [e.eventTime, e.data.Version, e.data.EXP]),
      [
        [new Date(start + 90 * day).toISOString(), first.properties.version, seconds(firstExpiry.getTime())],
        [
          new Date(start + 180 * day).toISOString(),
          second.properties.version,
          seconds(secondExpiry.getTime()),
        ],
      ],
    );
    const [sample] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as [KeyVaultEvent];
    for (const event of near) {
      assert.deepEqual(Object.keys(event), Object.keys(sample));
      assert.deepEqual(
        Object.keys(event.data),
        Object.keys(sample.data).map((key) => key.trim()),
      );
    }
    assert.deepEqual(
      eventsOf(kv.requests, expired),
      [],
      'the first version was no longer current at its expiry',
    );
  });

  it('moves the expiry events when the expiry of the current version changes', async (t) => {
    const kv = await startWatchedVault(t);
    const secret = await kv.client.setSecret('moving', 'v1', { expiresOn: new Date(start + 40 * day) });
    const later = new Date(start + 100 * day);
    await kv.client.updateSecretProperties('moving', secret.properties.version ?? '', { expiresOn: later });

    await kv.clock.advance(70 * day - 1, kv.settle);
    assert.deepEqual(eventsOf(kv.requests, nearExpiry, expired), []);
    await kv.clock.advance(1, kv.settle);
    assert.deepEqual(
      eventsOf(kv.requests, nearExpiry).map((e) => e.data.EXP),
      [seconds(later.getTime())],
    );
    await kv.clock.advance(30 * day, kv.settle);
    assert.deepEqual(
      eventsOf(kv.requests, expired).map((e) => e.eventTime),
      [later.toISOString()],
    );
  });

  it('sends at once what is already due when a version is set close to or past its expiry', async (t) => {
    const kv = await startWatchedVault(t);
    await kv.client.setSecret('soon', 'v1', { expiresOn: new Date(start + 10 * day) });
    await kv.client.setSecret('too-late', 'v1', { expiresOn: new Date(start - day) });
    await kv.clock.advance(0, kv.settle);
    assert.deepEqual(
      eventsOf(kv.requests, nearExpiry, expired).map((e) => [e.subject, e.eventType, e.eventTime]),
      [
        ['soon', nearExpiry, '2026-01-01T00:00:00.000Z'],
        ['too-late', expired, '2026-01-01T00:00:00.000Z'],
      ],
    );
  });

  it('watches only the current version of a secret', async (t) => {
    const kv = await startWatchedVault(t);
    const old = await kv.client.setSecret('versions', 'v1', { expiresOn: new Date(start + 40 * day) });
    await kv.client.setSecret('versions', 'v2');
    await kv.client.updateSecretProperties('versions', old.properties.version ?? '', {
      expiresOn: new Date(start + 20 * day),
    });
    await kv.clock.advance(50 * day, kv.settle);
    assert.deepEqual(eventsOf(kv.requests, nearExpiry, expired), []);
  });

  it('sends nothing for a deleted secret, and resumes when it is recovered', async (t) => {
    const kv = await startWatchedVault(t);
    await kv.client.setSecret('deleted', 'v1', { expiresOn: new Date(start + 40 * day) });
    await (await kv.client.beginDeleteSecret('deleted')).pollUntilDone();
    await kv.clock.advance(20 * day, kv.settle);
    assert.deepEqual(eventsOf(kv.requests, nearExpiry, expired), []);

    await (await kv.client.beginRecoverDeletedSecret('deleted')).pollUntilDone();
    await kv.clock.advance(0, kv.settle);
    assert.deepEqual(
      eventsOf(kv.requests, nearExpiry, expired).map((e) => [e.eventType, e.eventTime]),
      [[nearExpiry, '2026-01-21T00:00:00.000Z']],
    );
    await kv.clock.advance(20 * day, kv.settle);
    assert.equal(eventsOf(kv.requests, expired).length, 1);
  });

  it('purges a deleted secret 90 days after its deletion', async (t) => {
    const kv = await startVault(t, {});
    await kv.client.setSecret('kept-90-days', 'v1');
    await (await kv.client.beginDeleteSecret('kept-90-days')).pollUntilDone();
    await kv.clock.advance(90 * day - 1000);
    assert.equal((await kv.client.getDeletedSecret('kept-90-days')).name, 'kept-90-days');
    await kv.clock.advance(1000);
    await assert.rejects(kv.client.getDeletedSecret('kept-90-days'), { statusCode: 404 });
    assert.equal((await kv.client.setSecret('kept-90-days', 'v2')).value, 'v2');
  });

  it('retries a failed delivery with the same event and a growing delivery count', async (t) => {
    const kv = await startWatchedVault(t);
    kv.failNext(2, 503);
    await kv.client.setSecret('retried', 'v1');
    await kv.settle();
    assert.deepEqual(
      kv.requests.map((r) => [r.answered, r.headers['aeg-delivery-count']]),
      [
        [503, '0'],
        [503, '1'],
        [200, '2'],
      ],
    );
    assert.equal(new Set(kv.requests.map((r) => r.events[0]?.id)).size, 1);
  });

  it('gives up at once on a 400, as Event Grid does, and logs it without the key', async (t) => {
    const receiver = await startReceiver(t);
    const logged: string[] = [];
    const kv = await startVault(t, {
      eventGrid: {
        endpoint: `${receiver.url}/api/events?code=function-key`,
        retryDelaysMs: [1, 1],
        log: (line) => logged.push(line),
      },
    });
    receiver.failNext(1, 400);
    await kv.client.setSecret('refused', 'v1');
    await kv.settle();
    assert.equal(receiver.requests.length, 1);
    assert.equal(logged.length, 1);
    assert.match(
      logged[0] ?? '',
      /SecretNewVersionCreated \(refused\) .* failed after 1 attempt\(s\): the endpoint answered 400/,
    );
    assert.doesNotMatch(logged[0] ?? '', /function-key/);
  });

  it('keeps serving when the subscriber cannot be reached', async (t) => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const logged: string[] = [];
    const kv = await startVault(t, {
      eventGrid: {
        endpoint: `http://127.0.0.1:${port}/api/events`,
        retryDelaysMs: [1, 1],
        log: (l) => logged.push(l),
      },
    });
    await kv.client.setSecret('unheard', 'v1');
    await kv.settle();
    assert.equal((await kv.client.getSecret('unheard')).value, 'v1');
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /failed after 3 attempt\(s\): fetch failed \(ECONNREFUSED\)/);
  });

  it('cancels its timers when the sandbox closes', async (t) => {
    const kv = await startWatchedVault(t);
    await kv.client.setSecret('closing', 'v1', { expiresOn: new Date(start + 40 * day) });
    await (await kv.client.beginDeleteSecret('closing')).pollUntilDone();
    await kv.client.setSecret('still-here', 'v1', { expiresOn: new Date(start + 40 * day) });
    assert.notEqual(kv.clock.nextDue(), undefined);
    await kv.vault.close();
    assert.equal(kv.clock.nextDue(), undefined);
  });
});

describe('when Key Vault expiry events fall due', () => {
  const now = start;
  const rows: { case: string; exp: number | undefined; due: [string, number][] }[] = [
    { case: 'no expiry', exp: undefined, due: [] },
    {
      case: 'expiry 40 days ahead',
      exp: seconds(now + 40 * day),
      due: [
        [nearExpiry, now + 10 * day],
        [expired, now + 40 * day],
      ],
    },
    {
      case: 'expiry exactly 30 days ahead',
      exp: seconds(now + 30 * day),
      due: [
        [nearExpiry, now],
        [expired, now + 30 * day],
      ],
    },
    {
      case: 'expiry 10 days ahead',
      exp: seconds(now + 10 * day),
      due: [
        [nearExpiry, now],
        [expired, now + 10 * day],
      ],
    },
    { case: 'expiry now', exp: seconds(now), due: [[expired, now]] },
    { case: 'expiry past', exp: seconds(now - day), due: [[expired, now]] },
  ];
  for (const row of rows) {
    it(`${row.case}: ${row.due.map(([type]) => type.split('.').at(-1)).join(', ') || 'nothing'}`, () => {
      assert.deepEqual(
        expiryNotices(row.exp, now).map((n) => [n.type, n.at]),
        row.due,
      );
    });
  }
});
