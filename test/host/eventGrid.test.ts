import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LocalHost } from '../../dev/host/host';
import { logSink, setLogSink } from '../../dev/host/log';
import { fixture } from '../support/fixtures';
import { call, startTestHost, testKeys } from '../support/testHost';

const key = testKeys.system.eventgrid_extension ?? '';
const endpoint = (fn: string): string => `/runtime/webhooks/eventgrid?functionName=${fn}`;

describe('Event Grid triggers through the local host', () => {
  let host: LocalHost;
  const received = async (): Promise<{ kind: string; value: { id?: string } }[]> =>
    (await call(host.url, '/api/observations')).body as { kind: string; value: { id?: string } }[];

  before(async () => {
    host = await startTestHost();
  });
  after(() => host.stop());
  beforeEach(async () => {
    await call(host.url, '/api/observations', { method: 'DELETE' });
  });

  it('answers the subscription validation handshake with the validation code and runs nothing', async () => {
    const res = await call(host.url, endpoint('onEvent'), {
      method: 'POST',
      key,
      keyIn: 'query',
      body: fixture('eventgrid-subscription-validation-event.json'),
      headers: { 'aeg-event-type': 'SubscriptionValidation' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
    assert.deepEqual(await received(), []);
  });

  it('answers the CloudEvents abuse-protection handshake', async () => {
    const res = await call(host.url, endpoint('onEvent'), {
      method: 'OPTIONS',
      key,
      keyIn: 'query',
      headers: { 'webhook-request-origin': 'eventgrid.azure.net' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('webhook-allowed-origin'), 'eventgrid.azure.net');
  });

  it('delivers each event of an Event Grid schema batch to the function, in order', async () => {
    const [event] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as [
      Record<string, unknown>,
    ];
    const batch = [event, { ...event, id: 'second-event' }];
    const res = await call(host.url, endpoint('onEvent'), {
      method: 'POST',
      key,
      keyIn: 'query',
      body: batch,
      headers: { 'aeg-event-type': 'Notification' },
    });
    assert.equal(res.status, 202);
    const seen = await received();
    assert.deepEqual(
      seen.map((o) => o.value.id),
      [event.id, 'second-event'],
    );
  });

  it('delivers CloudEvents 1.0 batches', async () => {
    const events = fixture('eventgrid-acr-imagepushed.cloudevents.json') as { id: string; type: string }[];
    const res = await call(host.url, endpoint('onEvent'), {
      method: 'POST',
      key,
      keyIn: 'query',
      body: events,
      headers: {
        'aeg-event-type': 'Notification',
        'content-type': 'application/cloudevents-batch+json; charset=utf-8',
      },
    });
    assert.equal(res.status, 202);
    const seen = (await received()) as unknown as { value: { type: string } }[];
    assert.deepEqual(
      seen.map((o) => o.value.type),
      events.map((e) => e.type),
    );
  });

  it("writes the function's context.log lines with its name and invocation id", async () => {
    const lines: string[] = [];
    const original = logSink;
    setLogSink((line) => lines.push(line));
    try {
      const [event] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as [
        { id: string },
      ];
      await call(host.url, endpoint('onEvent'), {
        method: 'POST',
        key,
        body: [event],
        headers: { 'aeg-event-type': 'Notification' },
      });
      const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
      const line = new RegExp(
        `INFORMATION \\[onEvent ${uuid}\\] event ${event.id} of type Microsoft\\.KeyVault\\.SecretNewVersionCreated$`,
      );
      assert.ok(
        lines.some((l) => line.test(l)),
        lines.join('\n'),
      );
    } finally {
      setLogSink(original);
    }
  });

  it('answers 500 when the function fails, so that Event Grid retries', async () => {
    const [event] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as [unknown];
    const res = await call(host.url, endpoint('failingEvent'), {
      method: 'POST',
      key,
      keyIn: 'query',
      body: [event],
      headers: { 'aeg-event-type': 'Notification' },
    });
    assert.equal(res.status, 500);
  });

  it('refuses deliveries without the system key, for unknown functions and with bad JSON', async () => {
    const body = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json');
    assert.equal((await call(host.url, endpoint('onEvent'), { method: 'POST', body })).status, 401);
    assert.equal(
      (await call(host.url, endpoint('onEvent'), { method: 'POST', key: testKeys.host.default, body }))
        .status,
      401,
    );
    assert.equal((await call(host.url, endpoint('nope'), { method: 'POST', key, body })).status, 404);
    assert.equal((await call(host.url, endpoint('getItem'), { method: 'POST', key, body })).status, 404);
    const bad = await call(host.url, endpoint('onEvent'), {
      method: 'POST',
      key,
      body: '{not json',
      headers: { 'aeg-event-type': 'Notification' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(await received(), []);
  });
  it('answers 400, never 500, to deliveries that are not JSON events, and runs nothing', async () => {
    const [event] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as [
      Record<string, unknown>,
    ];
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    const bodies: Record<string, string | Uint8Array<ArrayBuffer>> = {
      'deeply nested arrays': deep(20_000),
      'deeply nested objects': '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
      'an event nested deeper than 64 levels': JSON.stringify([
        { ...event, data: JSON.parse(deep(70)) as unknown },
      ]),
      'a number too large for a double': JSON.stringify([{ ...event, data: 1 }]).replace(
        '"data":1',
        '"data":1e999',
      ),
      null: 'null',
      'an empty batch': '[]',
      'a string': '"hello"',
      'a number': '42',
      'a batch holding null': '[null]',
      'an object that is no event': '{}',
      'an event without its type': JSON.stringify([{ ...event, eventType: undefined }]),
      'an escaped lone surrogate': JSON.stringify([event]).replace(String(event.subject), '\\ud800'),
      'bytes that are not UTF-8': Uint8Array.from([
        ...Buffer.from('[{"id":"'),
        0xed,
        0xa0,
        0x80,
        ...Buffer.from('"}]'),
      ]),
      nothing: '',
    };
    for (const [name, body] of Object.entries(bodies)) {
      const res = await fetch(new URL(`${endpoint('onEvent')}&code=${key}`, host.url), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      });
      assert.equal(res.status, 400, name);
      assert.equal(res.headers.get('content-type'), 'application/problem+json', name);
      await res.arrayBuffer();
    }
    assert.deepEqual(await received(), []);
  });

  it('accepts a UTF-8 byte order mark before the JSON, as the HTTP triggers do', async () => {
    const [event] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as [{ id: string }];
    const res = await call(host.url, endpoint('onEvent'), {
      method: 'POST',
      key,
      body: `\ufeff${JSON.stringify([event])}`,
      headers: { 'aeg-event-type': 'Notification' },
    });
    assert.equal(res.status, 202);
    assert.deepEqual(
      (await received()).map((o) => o.value.id),
      [event.id],
    );
  });
});
