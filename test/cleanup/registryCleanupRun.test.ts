import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerRegistryClient } from '@azure/container-registry';
import type { LocalHost } from '../../dev/host/host';
import type { CleanupItem, CleanupPlan } from '../../src/domain/cleanupPlan';
import { knownGoodTags } from '../../src/domain/knownGood';
import type { CleanupStatus } from '../../src/orchestrations/cleanupModel';
import { rigRegistry, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { sandboxCredential } from '../support/sandbox';
import { call, waitFor } from '../support/testHost';

const repository = 'contoso/web';

describe('registry cleanup of a repository in use, end to end on the local host and the sandbox', () => {
  let rig: ReleaseRig;
  let host: LocalHost;
  let sdk: ContainerRegistryClient;
  /** Digests by tag, and of the untagged manifests. */
  const digest: Record<string, string> = {};

  before(async () => {
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [{ name: 'web', image: `${rigRegistry}/${repository}:1.0.0` }],
      targets: [rigTarget('web')],
    });
    if (!rig.host) throw new Error('the rig runs the host in this process');
    host = rig.host;
    const registry = rig.sandbox.registry;
    // 30 tagged images, 1.0.1 the oldest (99 days) to 1.0.30 (70 days): every one past 30 days.
    for (let n = 1; n <= 30; n++)
      digest[`1.0.${n}`] = registry.seed({ repository, tag: `1.0.${n}`, ageDays: 100 - n });
    digest['untagged-old'] = registry.seed({ repository, ageDays: 9 });
    digest['untagged-young'] = registry.seed({ repository, ageDays: 2 });
    digest.amd64 = registry.seed({ repository, ageDays: 65, architecture: 'amd64' });
    digest.arm64 = registry.seed({ repository, ageDays: 65, architecture: 'arm64' });
    digest.multi = registry.seed({
      repository,
      tag: 'multi',
      ageDays: 65,
      platforms: [digest.amd64, digest.arm64],
    });
    // cosign signatures: of a kept image, and of one that goes.
    const sig = (tag: string): string => `${(digest[tag] ?? '').replace(':', '-')}.sig`;
    digest['sig-1.0.25'] = registry.seed({ repository, tag: sig('1.0.25'), ageDays: 75 });
    digest['sig-1.0.2'] = registry.seed({ repository, tag: sig('1.0.2'), ageDays: 98 });
    // Notation signatures, pushed untagged with a subject: of a kept image, and of one that goes.
    digest['notation-1.0.25'] = registry.seed({ repository, ageDays: 20, subject: digest['1.0.25'] });
    digest['notation-1.0.2'] = registry.seed({ repository, ageDays: 20, subject: digest['1.0.2'] });
    sdk = new ContainerRegistryClient(rig.sandbox.url, sandboxCredential(rig.sandbox.url, rig.identity));
    await sdk.getArtifact(repository, '1.0.6').updateTagProperties('1.0.6', { canDelete: false });
    // Production runs 1.0.3, the staging slot 1.0.4, and 1.0.5 is known good.
    const site = rig.siteNamed('web');
    await site.updateSiteConfig(
      'production',
      { linuxFxVersion: `DOCKER|${rigRegistry}/${repository}:1.0.3` },
      false,
    );
    await site.updateSiteConfig(
      'staging',
      { linuxFxVersion: `DOCKER|${rigRegistry}/${repository}:1.0.4` },
      false,
    );
    site.tags[knownGoodTags.latest] = `${rigRegistry}/${repository}:1.0.5@${digest['1.0.5'] ?? ''}`;
  });

  after(async () => {
    await rig.stop();
  });

  const ask = (method: string, path: string) => call(host.url, path, { method, key: rig.functionKey });

  async function listed(): Promise<Set<string>> {
    const digests = new Set<string>();
    for await (const m of sdk.getRepository(repository).listManifestProperties()) digests.add(m.digest);
    return digests;
  }

  let plan: CleanupPlan;
  const itemOf = (name: string): CleanupItem => {
    const found = plan.items.find((i) => i.detail?.digest === digest[name]);
    assert.ok(found, `the plan has ${name}`);
    return found;
  };

  it('explains in a dry run what would go and why each kept image stays, deleting nothing', async () => {
    const before = await listed();
    const res = await ask('POST', '/api/cleanup/registry?dryRun=true');
    assert.equal(res.status, 200, res.text);
    plan = res.body as CleanupPlan;
    const kept = (name: string, reason: RegExp): void => {
      const item = itemOf(name);
      assert.equal(item.action, 'keep', `${name}: ${item.reasons.join('; ')}`);
      assert.ok(
        item.reasons.some((r) => reason.test(r)),
        `${name}: ${item.reasons.join('; ')}`,
      );
    };
    kept('1.0.3', /running in web\/production/);
    kept('1.0.4', /running in web\/staging/);
    kept('1.0.5', /known good/);
    kept('1.0.6', /lock/);
    kept('1.0.30', /newest/);
    kept('multi', /newest/);
    kept('arm64', /index/);
    kept('sig-1.0.25', /^attached to kept sha256:/);
    kept('notation-1.0.25', /^attached to kept sha256:/);
    kept('untagged-young', /untagged/);
    for (const name of ['1.0.1', '1.0.2', '1.0.7', '1.0.15', 'sig-1.0.2', 'notation-1.0.2', 'untagged-old'])
      assert.equal(itemOf(name).action, 'delete', `${name}: ${itemOf(name).reasons.join('; ')}`);
    assert.deepEqual(await listed(), before, 'a dry run deletes nothing');
  });

  it('deletes exactly what the plan said, and counts what it kept by reason', async () => {
    const res = await ask('POST', '/api/cleanup/registry');
    assert.equal(res.status, 202, res.text);
    const { runId } = res.body as { runId: string };
    const run = await waitFor(
      'the registry cleanup to end',
      async () => {
        const view = (await ask('GET', `/api/cleanup/runs/${encodeURIComponent(runId)}`))
          .body as CleanupStatus & {
          runtimeStatus: string;
        };
        return view.runtimeStatus === 'Completed' ? view : undefined;
      },
      60_000,
    );
    assert.equal(run.outcome, 'succeeded', run.reason);
    const deleted = new Set(
      plan.items.filter((i) => i.action === 'delete').map((i) => String(i.detail?.digest)),
    );
    assert.equal(run.counts.done, deleted.size);
    const left = await listed();
    for (const d of deleted) assert.ok(!left.has(d), `${d} was deleted`);
    for (const item of plan.items.filter((i) => i.action !== 'delete'))
      assert.ok(left.has(String(item.detail?.digest)), `${item.what} stays`);
    const kept = Object.values(run.counts.kept).reduce((a, b) => a + b, 0);
    assert.equal(kept, plan.items.filter((i) => i.action === 'keep').length);
    assert.ok((run.counts.kept['running in web/production'] ?? 0) >= 1, JSON.stringify(run.counts.kept));
  });
});
