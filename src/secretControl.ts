import type { DurableClient } from 'durable-functions';
import { activeInstancesOf } from './azure/taskHubInstances';
import type { Config } from './config';
import { rotationIdPrefix } from './domain/rotationId';
import type { ActiveInstance } from './domain/targetQueue';
import { rotationOrchestrator } from './functionNames';
import type { RotationInput, RotationRequest, SecretConsumer } from './orchestrations/rotationModel';
import type { ManagedSecret, RotatedSecret } from './secretSettings';
import { startOnce } from './startOnce';

/** What asking for a rotation did: started it, found it running, or found it done from that version already. */
export interface RotationStart {
  outcome: 'started' | 'running' | 'duplicate';
  rotationId: string;
}

/** The managed secret that lives at `secretUri` (versionless), compared as Key Vault compares names. */
export function managedSecretAt(config: Config, secretUri: string): ManagedSecret | undefined {
  const wanted = secretUri.replace(/\/$/, '').toLowerCase();
  return config.secrets.find((s) => s.keyVaultSecretUri.replace(/\/$/, '').toLowerCase() === wanted);
}

/** A secret's consumers as a rotation needs them: their sites, the slots that reference it, their health paths. */
export function consumersOf(config: Config, secret: ManagedSecret): SecretConsumer[] {
  return secret.consumers.flatMap((name) => {
    const target = config.targets.find((t) => t.name === name);
    if (target === undefined) return [];
    const { slot, ...site } = target.site;
    return [{ target: name, site, slots: ['production', slot], healthPath: target.warmUp.healthPath }];
  });
}

/** The secret's rotations that are still running or waiting to, with when each was created. */
export function activeRotationsOf(client: DurableClient, secret: string): Promise<ActiveInstance[]> {
  return activeInstancesOf(client, rotationIdPrefix(secret));
}

/**
 * Starts rotation `rotationId` of `secret`, unless a rotation of the secret runs already (a secret is
 * never rotated twice at once) or one of that id was started before (made from the current version,
 * as `rotationInstanceId` makes it: the same near-expiry event delivered twice, or the scan and the
 * event both asking).
 */
export async function startRotation(
  client: DurableClient,
  config: Config,
  secret: RotatedSecret,
  rotationId: string,
  requestedBy: RotationRequest,
): Promise<RotationStart> {
  const [busy] = await activeRotationsOf(client, secret.name);
  if (busy !== undefined) return { outcome: 'running', rotationId: busy.id };
  const input: RotationInput = { rotationId, secret, consumers: consumersOf(config, secret), requestedBy };
  const started = await startOnce(client, rotationOrchestrator, rotationId, input);
  return { outcome: started ? 'started' : 'duplicate', rotationId };
}
