import type { SecretConsumer } from '../orchestrations/rotationModel';
import type { RotationServices } from '../rotationServices';

/**
 * Makes a consumer's apps run on the secret's latest version: each slot's Key Vault references are
 * refreshed (App Service fetches the secrets again), then its app is started again on them as a
 * settings change does it, overlapped, so no request fails: a refresh alone does not reach the
 * running process, whose environment was set when it started. Repeatable.
 */
export function switchConsumer(services: RotationServices) {
  return async (input: { consumer: SecretConsumer }): Promise<void> => {
    const { consumer } = input;
    for (const slot of consumer.slots) {
      await services.references.refresh(consumer.site, slot);
      await services.references.reload(consumer.site, slot);
    }
  };
}
