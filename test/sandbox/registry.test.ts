import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerRegistryClient } from '@azure/container-registry';
import type { ArtifactManifestProperties, ArtifactTagProperties } from '@azure/container-registry';
import { VirtualClock } from '../../dev/host/clock';
import type { SandboxIdentity, SandboxModule } from '../../dev/sandbox/context';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { registryModule } from '../../dev/sandbox/registry/module';
import type { SandboxRegistry } from '../../dev/sandbox/registry/module';
import type { SandboxServer } from '../../dev/sandbox/server';
import { audiences } from '../../dev/sandbox/tokens';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

const loginServer = 'sandboxregistry.azurecr.io';
const minute = 60_000;

interface WireEntry {
  method: string;
  path: string;
  status: number;
  authorized: boolean;
  challenge?: string;
}

/** A sandbox module that only watches: every request the sandbox answers, as it went over the wire. */
function wireRecorder(wire: WireEntry[]): SandboxModule {
  return (app) => {
    // onSend runs before the answer leaves, so the record is complete by the time a client has it.
    app.addHook('onSend', (req, reply, payload, done) => {
      const challenge = reply.getHeader('www-authenticate');
      wire.push({
        method: req.method,
        path: req.url.split('?')[0] ?? '',
        status: reply.statusCode,
        authorized: req.headers.authorization !== undefined,
        ...(typeof challenge === 'string' ? { challenge } : {}),
      });
      done(null, payload);
    });
    return undefined;
  };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** What a refused SDK call (a RestError) tells its caller: the status, and ACR's error code in the body. */
interface Refusal {
  statusCode?: number;
  response?: { parsedBody?: { errors?: { code?: string }[] } };
}

const refusedWith =
  (status: number, code: string) =>
  (error: unknown): boolean => {
    const refusal = error as Refusal;
    assert.equal(refusal.statusCode, status, String(error));
    assert.equal(refusal.response?.parsedBody?.errors?.[0]?.code, code);
    return true;
  };

describe('sandbox registry with the real @azure/container-registry', () => {
  const clock = new VirtualClock(Date.parse('2026-03-02T09:00:00Z'));
  const wire: WireEntry[] = [];
  let registry: SandboxRegistry;
  let sandbox: SandboxServer & { identity: SandboxIdentity };
  let client: ContainerRegistryClient;

  const clientFor = (audience: string): ContainerRegistryClient =>
    new ContainerRegistryClient(sandbox.url, sandboxCredential(sandbox.url, sandbox.identity), { audience });

  /** Pushes each reference a minute after the one before, so that update times order them. */
  async function pushInTurn(...references: string[]): Promise<string[]> {
    const digests: string[] = [];
    for (const reference of references) {
      await clock.advance(minute);
      digests.push((await registry.push(reference)).digest);
    }
    return digests;
  }

  before(async () => {
    registry = registryModule({ loginServer });
    sandbox = await startTestSandbox([wireRecorder(wire), registry.module], clock);
    client = clientFor(audiences.containerRegistry);
  });
  after(() => sandbox.close());

  it('lists repositories after answering the first, unauthenticated call with a challenge and exchanging tokens', async () => {
    await pushInTurn('contoso/web:1.0.0', 'contoso/api:1.0.0');

    assert.deepEqual(await all(client.listRepositoryNames()), ['contoso/api', 'contoso/web']);

    const registryCalls = wire.filter((w) => w.path.startsWith('/acr/') || w.path.startsWith('/oauth2/'));
    assert.deepEqual(
      registryCalls
        .slice(0, 4)
        .map(({ method, path, status, authorized }) => ({ method, path, status, authorized })),
      [
        { method: 'GET', path: '/acr/v1/_catalog', status: 401, authorized: false },
        { method: 'POST', path: '/oauth2/exchange', status: 200, authorized: false },
        { method: 'POST', path: '/oauth2/token', status: 200, authorized: false },
        { method: 'GET', path: '/acr/v1/_catalog', status: 200, authorized: true },
      ],
    );
    assert.equal(
      registryCalls[0]?.challenge,
      `Bearer realm="${sandbox.url}/oauth2/token",service="localhost",scope="registry:catalog:*"`,
    );
  });

  it('refuses the token exchange for a Microsoft Entra token meant for another service', async () => {
    const keyVaultClient = clientFor(audiences.keyVault);
    await assert.rejects(keyVaultClient.listRepositoryNames().next(), refusedWith(401, 'UNAUTHORIZED'));
    assert.deepEqual(
      wire.filter((w) => w.path === '/oauth2/exchange').map((w) => w.status),
      [200, 401],
    );
  });

  it("accepts a Microsoft Entra token for ARM's audience, as ACR does", async () => {
    const armClient = clientFor(audiences.arm);
    assert.ok((await all(armClient.listRepositoryNames())).includes('contoso/web'));
  });

  it('lists manifests newest first or oldest first by their last update', async () => {
    const [first, second, third] = await pushInTurn('ordered:1', 'ordered:2', 'ordered:3');
    const repository = client.getRepository('ordered');

    const newestFirst = await all(repository.listManifestProperties({ order: 'LastUpdatedOnDescending' }));
    assert.deepEqual(
      newestFirst.map((m) => [m.digest, m.tags]),
      [
        [third, ['3']],
        [second, ['2']],
        [first, ['1']],
      ],
    );
    const oldestFirst = await all(repository.listManifestProperties({ order: 'LastUpdatedOnAscending' }));
    assert.deepEqual(
      oldestFirst.map((m) => m.digest),
      [first, second, third],
    );
    const times = oldestFirst.map((m) => m.lastUpdatedOn.getTime());
    assert.deepEqual(
      times.map((t) => t - (times[0] ?? 0)),
      [0, minute, 2 * minute],
    );
  });

  it('reports tag and manifest properties as ACR does', async () => {
    const [digest] = await pushInTurn('props/app:2.0.0');
    const pushedAt = new Date(clock.now());
    const artifact = client.getArtifact('props/app', '2.0.0');

    const tag: ArtifactTagProperties = await artifact.getTagProperties('2.0.0');
    assert.equal(tag.digest, digest);
    assert.equal(tag.registryLoginServer, loginServer);
    assert.equal(tag.repositoryName, 'props/app');
    assert.deepEqual(tag.createdOn, pushedAt);
    assert.deepEqual([tag.canDelete, tag.canWrite, tag.canList, tag.canRead], [true, true, true, true]);

    const manifest: ArtifactManifestProperties = await artifact.getManifestProperties();
    assert.equal(manifest.digest, digest);
    assert.deepEqual(manifest.tags, ['2.0.0']);
    assert.equal(manifest.architecture, 'amd64');
    assert.equal(manifest.operatingSystem, 'linux');
    assert.ok((manifest.sizeInBytes ?? 0) > 0);
    assert.deepEqual(manifest.createdOn, pushedAt);
    assert.equal(artifact.fullyQualifiedReference, 'localhost/props/app:2.0.0');

    const listed = await all(artifact.listTagProperties());
    assert.deepEqual(
      listed.map((t) => [t.name, t.digest]),
      [['2.0.0', digest]],
    );
  });

  it('moves a re-pushed tag to a new digest and keeps the old manifest, untagged', async () => {
    const [before, after] = await pushInTurn('moving:latest', 'moving:latest');
    assert.notEqual(before, after);
    const manifests = await all(client.getRepository('moving').listManifestProperties());
    const tagsByDigest = new Map(manifests.map((m) => [m.digest, m.tags]));
    assert.deepEqual(tagsByDigest.get(after ?? ''), ['latest']);
    assert.deepEqual(tagsByDigest.get(before ?? ''), []);
  });

  it('refuses to delete a manifest locked with canDelete false, and deletes it once unlocked', async () => {
    await pushInTurn('locked:1.0');
    const artifact = client.getArtifact('locked', '1.0');

    const locked = await artifact.updateManifestProperties({ canDelete: false });
    assert.equal(locked.canDelete, false);
    assert.equal(locked.canWrite, true, 'only the given lock changes');
    await assert.rejects(artifact.delete(), refusedWith(405, 'REGISTRY_DISALLOWED_OPERATION'));
    assert.equal((await artifact.getManifestProperties()).canDelete, false, 'still there');

    await artifact.updateManifestProperties({ canDelete: true });
    await artifact.delete();
    await assert.rejects(client.getRepository('locked').getProperties(), refusedWith(404, 'NAME_UNKNOWN'));
  });

  it('refuses to delete a tag locked with canWrite false, and to push over it', async () => {
    await pushInTurn('frozen:1.0');
    const artifact = client.getArtifact('frozen', '1.0');
    const updated = await artifact.updateTagProperties('1.0', { canWrite: false });
    assert.equal(updated.canWrite, false);

    await assert.rejects(artifact.deleteTag('1.0'), refusedWith(405, 'REGISTRY_DISALLOWED_OPERATION'));
    await assert.rejects(registry.push('frozen:1.0'), /disallowed/);
    assert.equal((await artifact.getTagProperties('1.0')).canWrite, false);
  });

  it('refuses pushes and deletes in a repository locked with canWrite false until it is unlocked', async () => {
    await pushInTurn('sealed:1');
    const repository = client.getRepository('sealed');
    assert.equal((await repository.updateProperties({ canWrite: false })).canWrite, false);

    await assert.rejects(registry.push('sealed:2'), /disallowed/);
    await assert.rejects(
      repository.getArtifact('1').deleteTag('1'),
      refusedWith(405, 'REGISTRY_DISALLOWED_OPERATION'),
    );
    await assert.rejects(
      client.deleteRepository('sealed'),
      refusedWith(405, 'REGISTRY_DISALLOWED_OPERATION'),
    );

    await repository.updateProperties({ canWrite: true });
    await registry.push('sealed:2');
    await client.deleteRepository('sealed');
  });

  it('leaves manifests and tags with canList false out of listings, yet answers for them by name', async () => {
    const [hiddenDigest] = await pushInTurn('hidden:secret', 'hidden:public');
    const artifact = client.getArtifact('hidden', 'secret');
    await artifact.updateManifestProperties({ canList: false });
    await artifact.updateTagProperties('secret', { canList: false });

    const repository = client.getRepository('hidden');
    const manifests = await all(repository.listManifestProperties());
    assert.ok(!manifests.some((m) => m.digest === hiddenDigest));
    const tags = await all(artifact.listTagProperties());
    assert.deepEqual(
      tags.map((t) => t.name),
      ['public'],
    );
    assert.equal((await artifact.getManifestProperties()).canList, false);
  });

  it('deletes a tag, which is then gone while its manifest stays', async () => {
    const [digest] = await pushInTurn('untag:keep', 'untag:other');
    const repository = client.getRepository('untag');
    await repository.getArtifact('keep').deleteTag('keep');

    await assert.rejects(
      repository.getArtifact('keep').getTagProperties('keep'),
      refusedWith(404, 'TAG_UNKNOWN'),
    );
    const remaining = await all(repository.getArtifact('other').listTagProperties());
    assert.deepEqual(
      remaining.map((t) => t.name),
      ['other'],
    );
    const manifest = await repository.getArtifact(digest ?? '').getManifestProperties();
    assert.deepEqual(manifest.tags, []);
  });

  it('deletes a manifest together with its tag', async () => {
    const [gone, kept] = await pushInTurn('prune:old', 'prune:new');
    const repository = client.getRepository('prune');
    await repository.getArtifact('old').delete();

    const manifests = await all(repository.listManifestProperties());
    assert.deepEqual(
      manifests.map((m) => [m.digest, m.tags]),
      [[kept, ['new']]],
    );
    await assert.rejects(
      repository.getArtifact('old').getTagProperties('old'),
      refusedWith(404, 'TAG_UNKNOWN'),
    );
    await assert.rejects(
      repository.getArtifact(gone ?? '').getManifestProperties(),
      refusedWith(404, 'MANIFEST_UNKNOWN'),
    );
  });

  it('pages through repositories, tags and manifests two at a time', async () => {
    await pushInTurn('paged:a', 'paged:b', 'paged:c', 'paged:d', 'paged:e');
    const repository = client.getRepository('paged');

    const tagPages = await all(
      repository
        .getArtifact('a')
        .listTagProperties({ order: 'LastUpdatedOnDescending' })
        .byPage({ maxPageSize: 2 }),
    );
    assert.deepEqual(
      tagPages.map((page) => page.map((t) => t.name)),
      [['e', 'd'], ['c', 'b'], ['a']],
    );

    const manifestPages = await all(repository.listManifestProperties().byPage({ maxPageSize: 2 }));
    assert.deepEqual(
      manifestPages.map((page) => page.length),
      [2, 2, 1],
    );
    const digests = manifestPages.flat().map((m) => m.digest);
    assert.deepEqual(digests, [...digests].sort(), 'by digest when no order is asked for');

    const namePages = await all(client.listRepositoryNames().byPage({ maxPageSize: 2 }));
    assert.ok(namePages.length > 1);
    assert.ok(namePages.every((page) => page.length <= 2));
    assert.deepEqual(namePages.flat(), await all(client.listRepositoryNames()));
  });

  it('deletes a whole repository', async () => {
    await pushInTurn('scratch:1', 'scratch:2');
    await client.deleteRepository('scratch');
    assert.ok(!(await all(client.listRepositoryNames())).includes('scratch'));
  });

  it('remembers the faults of each pushed image for the slot that runs it', async () => {
    const faulty = { errorRate: 0.3, latencyMs: 250 };
    const { digest } = await registry.push('faults/web:bad', faulty);
    await registry.push('faults/web:good');
    const expected = { ...imageFaultsSchema.parse({}), ...faulty };

    assert.deepEqual(registry.faultsOf(`${loginServer}/faults/web:bad`), expected);
    assert.deepEqual(registry.faultsOf(`${loginServer}/faults/web@${digest}`), expected);
    assert.deepEqual(registry.faultsOf('faults/web:good'), imageFaultsSchema.parse({}));
    assert.equal(registry.faultsOf(`${loginServer}/faults/web:missing`), undefined);
    assert.equal(registry.faultsOf('otherregistry.azurecr.io/faults/web:bad'), undefined);
  });
});
