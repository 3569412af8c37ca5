import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerRegistryClient } from '@azure/container-registry';
import { registryModule } from '../../dev/sandbox/registry/module';
import type { SandboxRegistry } from '../../dev/sandbox/registry/module';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { AcrRegistryManifests } from '../../src/azure/registryManifests';
import type { ListedManifest } from '../../src/domain/registryRetention';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

const loginServer = 'sandboxregistry.azurecr.io';
const web = { loginServer, repository: 'contoso/web' };

describe('listing and deleting manifests against the sandbox registry, with the real @azure/container-registry', () => {
  let registry: SandboxRegistry;
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let manifests: AcrRegistryManifests;
  let sdk: ContainerRegistryClient;
  const digests: Record<string, string> = {};

  before(async () => {
    registry = registryModule({ loginServer });
    sandbox = await startTestSandbox([registry.module]);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    manifests = new AcrRegistryManifests({ credential, endpoint: sandbox.url });
    sdk = new ContainerRegistryClient(sandbox.url, credential);
    for (let i = 0; i < 240; i++) registry.seed({ repository: 'contoso/web', tag: `build-${i}`, ageDays: i });
    digests.moved = registry.seed({ repository: 'contoso/web', tag: 'latest', ageDays: 20 });
    digests.latest = registry.seed({ repository: 'contoso/web', tag: 'latest', ageDays: 1 });
    digests.amd = registry.seed({ repository: 'contoso/web', ageDays: 3 });
    digests.arm = registry.seed({ repository: 'contoso/web', ageDays: 3, architecture: 'arm64' });
    digests.index = registry.seed({
      repository: 'contoso/web',
      tag: 'multi',
      ageDays: 3,
      platforms: [digests.amd, digests.arm],
    });
    digests.signature = registry.seed({
      repository: 'contoso/web',
      tag: `${digests.latest.replace(':', '-')}.sig`,
      ageDays: 1,
    });
    // A Notation signature: untagged, its subject naming the image it signs.
    digests.notation = registry.seed({ repository: 'contoso/web', ageDays: 1, subject: digests.latest });
    digests.lockedTag = registry.seed({ repository: 'contoso/web', tag: 'pinned', ageDays: 90 });
    digests.lockedManifest = registry.seed({ repository: 'contoso/web', tag: 'frozen', ageDays: 90 });
    await sdk.getArtifact('contoso/web', 'pinned').updateTagProperties('pinned', { canDelete: false });
    await sdk
      .getArtifact('contoso/web', digests.lockedManifest)
      .updateManifestProperties({ canWrite: false });
  });
  after(() => sandbox.close());

  const byDigest = (list: ListedManifest[], digest: string | undefined): ListedManifest => {
    const found = list.find((m) => m.digest === digest);
    assert.ok(found, `listed ${digest}`);
    return found;
  };

  it('lists every manifest over several pages, with tags, ages, platforms and locks, in a few requests', async () => {
    const before = registry.requestCount();
    const list = await manifests.list(web);
    const requests = registry.requestCount() - before;
    assert.equal(list.length, 240 + 9);
    // 3 pages of manifests and 3 of tags, plus the challenge and token exchanges of a first call;
    // then the documents of the 2 untagged manifests no index lists, with their client's own exchange.
    assert.ok(requests <= 17, `${requests} requests`);
    assert.equal(byDigest(list, digests.notation).subject, digests.latest);
    assert.equal(byDigest(list, digests.moved).subject, undefined, 'an image refers to nothing');
    assert.equal(byDigest(list, digests.amd).subject, undefined);
    assert.deepEqual(
      byDigest(list, digests.moved).tags,
      [],
      'a tag pushed again leaves its old manifest untagged',
    );
    assert.deepEqual(byDigest(list, digests.latest).tags, ['latest']);
    const index = byDigest(list, digests.index);
    assert.deepEqual(index.children, [digests.amd, digests.arm]);
    assert.equal(byDigest(list, digests.arm).architecture, 'arm64');
    assert.deepEqual(byDigest(list, digests.lockedTag).lockedTags, ['pinned']);
    assert.equal(byDigest(list, digests.lockedManifest).canWrite, false);
    assert.equal(byDigest(list, digests.lockedManifest).canDelete, true);
    const age = Date.now() - Date.parse(byDigest(list, digests.lockedTag).lastUpdatedOn);
    assert.ok(Math.abs(age - 90 * 86_400_000) < 60_000, 'the seeded age comes back as lastUpdateTime');
  });

  it('deletes a manifest by digest, and answers gone when it is already', async () => {
    const digest = registry.seed({ repository: 'contoso/web', tag: 'doomed', ageDays: 50 });
    assert.equal(await manifests.deleteManifest(web, digest), 'done');
    assert.equal(await manifests.deleteManifest(web, digest), 'gone');
    assert.equal(
      (await manifests.list(web)).some((m) => m.digest === digest),
      false,
    );
  });

  it('passes on ACR’s refusal to delete a locked manifest or one with a locked tag', async () => {
    for (const digest of [digests.lockedManifest, digests.lockedTag]) {
      await assert.rejects(manifests.deleteManifest(web, digest ?? ''), (err: unknown) => {
        assert.ok(err instanceof AzureOperationError);
        assert.equal(err.status, 405);
        assert.match(err.reason, /REGISTRY_DISALLOWED_OPERATION/);
        return true;
      });
    }
  });

  it('lists nothing for a repository the registry does not hold', async () => {
    assert.deepEqual(await manifests.list({ loginServer, repository: 'contoso/nothing' }), []);
  });
});
