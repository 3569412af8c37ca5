import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DurableClient } from 'durable-functions';
import { startOnce } from '../../src/startOnce';

/** What `durable-functions` v3 throws for an instance the extension does not know. */
const notFound = new Error(
  'DurableClient error: Durable Functions extension replied with HTTP 404 response. This usually means we could not find any data associated with the instanceId provided: x.',
);

function clientAnswering(getStatus: () => Promise<unknown>): { client: DurableClient; started: string[] } {
  const started: string[] = [];
  const client = {
    getStatus,
    startNew: (_name: string, options: { instanceId: string }) => {
      started.push(options.instanceId);
      return Promise.resolve(options.instanceId);
    },
  } as unknown as DurableClient;
  return { client, started };
}

describe('starting durable work once', () => {
  it('starts an instance the task hub does not know', async () => {
    const { client, started } = clientAnswering(() => Promise.reject(notFound));
    assert.equal(await startOnce(client, 'release', 'release:web:1', {}), true);
    assert.deepEqual(started, ['release:web:1']);
  });

  it('starts nothing for an instance that exists, ended or not', async () => {
    const { client, started } = clientAnswering(() => Promise.resolve({ runtimeStatus: 'Completed' }));
    assert.equal(await startOnce(client, 'release', 'release:web:1', {}), false);
    assert.deepEqual(started, []);
  });

  it('starts nothing, and says so by throwing, when the task hub cannot tell whether it exists', async () => {
    const { client, started } = clientAnswering(() =>
      Promise.reject(new Error('DurableClient error: the extension replied with HTTP 500')),
    );
    await assert.rejects(startOnce(client, 'release', 'release:web:1', {}), /HTTP 500/);
    assert.deepEqual(started, [], 'a completed release must not run again because storage hiccupped');
  });
});
