import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DurableClient } from 'durable-functions';
import type { FreezeStore } from '../../src/azure/freezeStore';
import { loadConfig } from '../../src/config';
import type { Config } from '../../src/config';
import { releaseInstanceId } from '../../src/domain/releaseId';
import type { PushRelease } from '../../src/orchestrations/releaseModel';
import { startPromotion } from '../../src/promotionControl';
import type { PromotionRequest } from '../../src/promotionControl';
import { repoRoot, tempDir } from '../support/testHost';

const digest = `sha256:${'ab'.repeat(32)}`;
const site = (name: string) => ({
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg',
  name,
});
const registry = { loginServer: 'contoso.azurecr.io', repository: 'contoso/web' };
const request: PromotionRequest = {
  from: { target: 'web-staging', releaseId: releaseInstanceId('web-staging', digest) },
  to: 'web-prod',
  image: `contoso.azurecr.io/contoso/web:2.0.0@${digest}`,
  tag: '2.0.0',
  digest,
};
const notFound = new Error(
  'DurableClient error: Durable Functions extension replied with HTTP 404 response.',
);

/** Settings with a staging target promoting to `prod` (fields over a production target). */
function configWith(prod: Record<string, unknown> = {}, env: Record<string, string> = {}): Config {
  const dir = tempDir('promotion-control');
  const file = join(dir, 'targets.json');
  const targets = [
    {
      name: 'web-staging',
      environment: 'staging',
      site: site('web-staging'),
      registry,
      promotesTo: 'web-prod',
    },
    { name: 'web-prod', site: site('web-prod'), registry, approval: { required: true }, ...prod },
  ];
  writeFileSync(file, JSON.stringify({ targets }));
  return loadConfig(
    {
      SHEPHERD_TASK_HUB: 'Promotion',
      SHEPHERD_TARGETS_FILE: file,
      SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
      ...env,
    },
    repoRoot,
  );
}

/** A task hub of the instances started through it. */
function taskHub(): {
  client: DurableClient;
  started: { name: string; instanceId: string; input: unknown }[];
} {
  const started: { name: string; instanceId: string; input: unknown }[] = [];
  const client = {
    getStatus: (id: string) =>
      started.some((s) => s.instanceId === id)
        ? Promise.resolve({ runtimeStatus: 'Running' })
        : Promise.reject(notFound),
    startNew: (name: string, options: { instanceId: string; input: unknown }) => {
      started.push({ name, ...options });
      return Promise.resolve(options.instanceId);
    },
  } as unknown as DurableClient;
  return { client, started };
}

const noStoredFreezes = { unlifted: () => Promise.resolve([]) } as unknown as FreezeStore;

describe('starting the release a promotion asks for', () => {
  it('starts the next target’s release of the same image, under the id a push of the digest would get', async () => {
    const { client, started } = taskHub();
    const config = configWith();
    const result = await startPromotion(client, config, noStoredFreezes, request);
    const id = releaseInstanceId('web-prod', digest);
    assert.deepEqual(result, { releaseId: id, started: true });
    assert.equal(started.length, 1);
    const input = started[0]?.input as PushRelease;
    assert.deepEqual(
      [started[0]?.name, input.kind, input.releaseId, input.image, input.tag, input.digest, input.frozen],
      ['release', 'push', id, request.image, '2.0.0', digest, false],
    );
    assert.deepEqual(input.promotedFrom, request.from);
    assert.equal(input.target.name, 'web-prod');
    assert.equal(input.target.approval.required, true, 'the next target’s own approval applies');
  });

  it('starts nothing when asked again: the release of that id is there already', async () => {
    const { client, started } = taskHub();
    const config = configWith();
    await startPromotion(client, config, noStoredFreezes, request);
    const again = await startPromotion(client, config, noStoredFreezes, request);
    assert.deepEqual(again, { releaseId: releaseInstanceId('web-prod', digest), started: false });
    assert.equal(started.length, 1);
  });

  it('starts a release that is refused and says how to release later, when the next environment is frozen', async () => {
    const { client, started } = taskHub();
    const config = configWith({}, { SHEPHERD_FROZEN_ENVIRONMENTS: 'production' });
    await startPromotion(client, config, noStoredFreezes, request);
    const input = started[0]?.input as PushRelease;
    assert.equal(input.frozen, true);
    assert.match(input.frozenBecause ?? '', /POST \/api\/targets\/web-prod\/releases/);
  });

  it('stops the image where it is when the next target does not release its tag', async () => {
    const { client, started } = taskHub();
    const config = configWith({ registry: { ...registry, releaseTags: { semver: '>=3' } } });
    const result = await startPromotion(client, config, noStoredFreezes, request);
    assert.deepEqual(result, { ignored: 'version 2.0.0 is outside ">=3", which web-prod does not release' });
    assert.deepEqual(started, []);
  });

  it('starts nothing for a target the settings no longer have', async () => {
    const { client, started } = taskHub();
    const result = await startPromotion(client, configWith(), noStoredFreezes, {
      ...request,
      to: 'web-gone',
    });
    assert.deepEqual(result, { ignored: '"web-gone" is no longer a target' });
    assert.deepEqual(started, []);
  });
});
