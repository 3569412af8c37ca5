import { randomBytes, randomUUID } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import type { Clock } from '../../dev/host/clock';
import { SystemClock } from '../../dev/host/clock';
import { ensureCertificates } from '../../dev/sandbox/certificates';
import type { SandboxIdentity, SandboxModule } from '../../dev/sandbox/context';
import { sandboxCertificateDir } from '../../dev/sandbox/ensureCa';
import { identityModule } from '../../dev/sandbox/identity';
import { startSandboxServer } from '../../dev/sandbox/server';
import type { SandboxServer } from '../../dev/sandbox/server';

/**
 * Starts a sandbox with the identity endpoints and the given modules, using the checkout's CA, which
 * `npm test` hands to every test process through NODE_EXTRA_CA_CERTS.
 */
export async function startTestSandbox(
  modules: SandboxModule[],
  clock: Clock = new SystemClock(),
): Promise<SandboxServer & { identity: SandboxIdentity }> {
  if (!process.env.NODE_EXTRA_CA_CERTS)
    throw new Error(
      'Run the sandbox tests through npm test, which sets NODE_EXTRA_CA_CERTS to the sandbox CA.',
    );
  const identity = {
    tenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const server = await startSandboxServer({
    certificates: ensureCertificates(sandboxCertificateDir),
    clock,
    identity,
    modules: [identityModule, ...modules],
  });
  return { ...server, identity };
}

/**
 * The credential the Azure SDK clients sign in to the sandbox with: the sandbox's own client, or
 * another secret for it. Instance discovery would ask the real Microsoft Entra, which is offline here.
 */
export function sandboxCredential(
  sandboxUrl: string,
  identity: SandboxIdentity,
  clientSecret = identity.clientSecret,
): ClientSecretCredential {
  return new ClientSecretCredential(identity.tenantId, identity.clientId, clientSecret, {
    authorityHost: sandboxUrl,
    disableInstanceDiscovery: true,
  });
}
