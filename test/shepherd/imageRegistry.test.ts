import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registryModule } from '../../dev/sandbox/registry/module';
import type { SandboxRegistry } from '../../dev/sandbox/registry/module';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { AcrImageRegistry } from '../../src/azure/imageRegistry';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

const loginServer = 'sandboxregistry.azurecr.io';
const web = { loginServer, repository: 'contoso/web' };

describe('the registry adapter against the sandbox registry, with the real @azure/container-registry', () => {
  let registry: SandboxRegistry;
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let images: AcrImageRegistry;
  let first: string;
  let second: string;

  before(async () => {
    registry = registryModule({ loginServer });
    sandbox = await startTestSandbox([registry.module]);
    images = new AcrImageRegistry({
      credential: sandboxCredential(sandbox.url, sandbox.identity),
      endpoint: sandbox.url,
    });
    first = (await registry.push('contoso/web:1.0.0')).digest;
    second = (await registry.push('contoso/web:2.0.0')).digest;
  });
  after(() => sandbox.close());

  it('resolves a tag to the digest it names now, with the manifest’s tags', async () => {
    assert.deepEqual(await images.resolve(web, '2.0.0'), { digest: second, tags: ['2.0.0'] });
    assert.notEqual(first, second);
  });

  it('resolves a digest to its manifest', async () => {
    assert.deepEqual(await images.resolve(web, first), { digest: first, tags: ['1.0.0'] });
  });

  it('follows a tag that was pushed again to its new digest', async () => {
    const again = (await registry.push('contoso/web:1.0.0')).digest;
    assert.deepEqual(await images.resolve(web, '1.0.0'), { digest: again, tags: ['1.0.0'] });
  });

  it('finds nothing for a tag, a digest or a repository the registry does not hold', async () => {
    assert.equal(await images.resolve(web, '9.9.9'), undefined);
    assert.equal(await images.resolve(web, `sha256:${'0'.repeat(64)}`), undefined);
    assert.equal(await images.resolve({ loginServer, repository: 'contoso/nothing' }, '1.0.0'), undefined);
  });

  it('throws an AzureOperationError that names the image and carries no secret when it cannot sign in', async () => {
    const secret = 'a-wrong-client-secret-0123456789';
    const refused = new AcrImageRegistry({
      credential: sandboxCredential(sandbox.url, sandbox.identity, secret),
      endpoint: sandbox.url,
    });
    await assert.rejects(refused.resolve(web, '2.0.0'), (err: unknown) => {
      assert.ok(err instanceof AzureOperationError, String(err));
      assert.match(err.message, /^read sandboxregistry\.azurecr\.io\/contoso\/web:2\.0\.0 failed/);
      assert.ok(!err.message.includes(secret));
      assert.ok(!err.message.includes(sandbox.identity.clientSecret));
      return true;
    });
  });
});
