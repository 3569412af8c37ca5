import type { EventGridHandler } from '@azure/functions';
import * as df from 'durable-functions';
import { currentVersion } from '../activities/inspectSecret';
import type { Config } from '../config';
import { rotationInstanceId } from '../domain/rotationId';
import type { RotationServices } from '../rotationServices';
import { managedSecretAt, startRotation } from '../secretControl';
import { parseSecretExpiryEvent } from './payloads/keyVaultEvent';

/**
 * Event Grid `Microsoft.KeyVault.SecretNearExpiry` (and `SecretExpired`): a managed secret's current
 * version expires in 30 days (Shepherd's versions are written so that this is their rotation day), so
 * its rotation starts. An event for a version that is no longer current (a late or repeated delivery
 * after a rotation) starts nothing; one for a secret Shepherd does not rotate is acknowledged.
 */
export function onSecretExpiry(config: Config, services: RotationServices): EventGridHandler {
  return async (event, context) => {
    const parsed = parseSecretExpiryEvent(event);
    if (!parsed.ok) {
      // Retrying will not make a malformed event valid, so it is logged and acknowledged.
      context.warn(
        `ignored a Key Vault event that is not valid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
      return;
    }
    const expiring = parsed.value;
    const secret = managedSecretAt(config, expiring.secretUri);
    if (secret === undefined || secret.kind === 'manual') {
      context.log(`${expiring.vaultName}/${expiring.name} expires, but Shepherd does not rotate it`);
      return;
    }
    // A failure to read Key Vault is thrown: Event Grid delivers the event again.
    const current = await currentVersion(services, secret.keyVaultSecretUri);
    if (current?.version !== expiring.version) {
      context.log(
        `ignored ${expiring.type} of ${secret.name} version ${expiring.version}: it is no longer current`,
      );
      return;
    }
    const start = await startRotation(
      df.getClient(context),
      config,
      secret,
      rotationInstanceId(secret.name, expiring.version),
      {
        via: 'event',
        by: 'key-vault',
        reason:
          expiring.type === 'nearExpiry'
            ? `version ${expiring.version} expires within 30 days`
            : `version ${expiring.version} has expired`,
      },
    );
    context.log(`rotation of ${secret.name} on ${expiring.type}: ${start.outcome} ${start.rotationId}`);
  };
}
