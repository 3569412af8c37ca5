import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClientSecretCredential } from '@azure/identity';
import type { SandboxIdentity } from '../../dev/sandbox/context';
import type { SandboxServer } from '../../dev/sandbox/server';
import { audiences } from '../../dev/sandbox/tokens';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';

describe('sandbox identity with the real @azure/identity', () => {
  let sandbox: SandboxServer & { identity: SandboxIdentity };
  before(async () => {
    sandbox = await startTestSandbox([]);
  });
  after(() => sandbox.close());

  const credential = (secret: string): ClientSecretCredential =>
    sandboxCredential(sandbox.url, sandbox.identity, secret);

  it('issues a token for the requested audience over verified TLS', async () => {
    const token = await credential(sandbox.identity.clientSecret).getToken(`${audiences.arm}/.default`);
    assert.ok(token.expiresOnTimestamp > Date.now() + 30 * 60_000);
    assert.equal(sandbox.context.tokens.verify(token.token, audiences.arm), true);
    assert.equal(
      sandbox.context.tokens.verify(token.token, audiences.keyVault),
      false,
      'a token is for one audience only',
    );
  });

  it('refuses a wrong client secret', async () => {
    await assert.rejects(
      credential('not-the-secret').getToken(`${audiences.arm}/.default`),
      /invalid_client|AADSTS7000215/,
    );
  });
});
