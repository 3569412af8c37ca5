import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrchestrationRuntimeStatus } from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { abortReleases } from '../../src/releaseControl';

/** A durable client that records raised events and answers status from a table. */
function clientWith(statuses: Record<string, Partial<DurableOrchestrationStatus>>): {
  client: DurableClient;
  raised: string[];
} {
  const raised: string[] = [];
  const fake: Pick<DurableClient, 'raiseEvent' | 'getStatus'> = {
    raiseEvent: (id) => {
      raised.push(id);
      return Promise.resolve();
    },
    getStatus: (id) => Promise.resolve(statuses[id] as DurableOrchestrationStatus),
  };
  return { client: fake as DurableClient, raised };
}

describe('stopping releases', () => {
  it('asks every release, and tells apart one that promoted its image before the request reached it', async () => {
    const { client, raised } = clientWith({
      running: { runtimeStatus: OrchestrationRuntimeStatus.Running },
      promoted: {
        runtimeStatus: OrchestrationRuntimeStatus.Completed,
        output: { kind: 'push', outcome: 'succeeded' },
      },
      stopped: {
        runtimeStatus: OrchestrationRuntimeStatus.Completed,
        output: { kind: 'push', outcome: 'rolledBack', abortedBy: { by: 'ana', reason: 'x' } },
      },
      refused: {
        runtimeStatus: OrchestrationRuntimeStatus.Completed,
        output: { kind: 'push', outcome: 'refused' },
      },
      restored: {
        runtimeStatus: OrchestrationRuntimeStatus.Completed,
        output: { kind: 'rollback', outcome: 'succeeded' },
      },
    });
    const ids = ['running', 'promoted', 'stopped', 'refused', 'restored'];
    const { promotedFirst } = await abortReleases(client, ids, { by: 'ana', reason: 'errors' });
    assert.deepEqual(raised, ids);
    assert.deepEqual(promotedFirst, ['promoted'], 'only a push that went live before it heard of the abort');
  });
});
