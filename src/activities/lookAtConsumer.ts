import type { KeyVaultReferenceState } from '../azure/keyVaultReferences';
import { sdk } from '../azure/sdk';
import type { ConsumerLook } from '../domain/consumerCheck';
import type { SecretConsumer } from '../orchestrations/rotationModel';
import type { RotationServices } from '../rotationServices';
import type { ManagedSecret } from '../secretSettings';
import { askSlot, describeAnswer } from './askSlot';

/**
 * One look at a consumer of a secret: to which version each slot's Key Vault reference to the secret
 * resolved, whether production answers healthy on its health path, and, given `role`, how many
 * sessions on the secret's database log in as that role.
 */
export function lookAtConsumer(services: RotationServices) {
  return async (input: {
    consumer: SecretConsumer;
    secret: ManagedSecret;
    role?: string;
  }): Promise<ConsumerLook> => {
    const { consumer, secret, role } = input;
    const references: ConsumerLook['references'] = [];
    for (const slot of consumer.slots) {
      const states = await services.references.references(consumer.site, slot);
      for (const state of states)
        if (refersTo(state, secret.keyVaultSecretUri))
          references.push({
            slot,
            status: state.status ?? 'Unknown',
            activeVersion: state.activeVersion ?? null,
          });
    }
    const host = await services.slots.hostName(consumer.site);
    const answer = await askSlot(host, consumer.healthPath);
    const look: ConsumerLook = {
      references,
      healthy: answer.answered && answer.status === 200,
      healthDetail: describeAnswer(consumer.healthPath, answer),
    };
    if (role === undefined || secret.kind !== 'postgresRole') return look;
    const admin = await services.adminConnection(secret);
    const sessions = await services.roles.sessions(admin, secret.postgres.database);
    return { ...look, roleSessions: sessions.filter((s) => s.role === role).length };
  };
}

/**
 * Whether a setting's reference reads the secret at `secretUri`: the same secret name, in the vault
 * its URI names, whether the reference spells it as a `SecretUri` (compared by its vault URL) or as a
 * `VaultName` (compared with the first label of the vault's host, as Key Vault names them).
 */
function refersTo(state: KeyVaultReferenceState, secretUri: string): boolean {
  const { vaultUrl, name } = sdk('@azure/keyvault-secrets').parseKeyVaultSecretIdentifier(secretUri);
  if (state.secret?.toLowerCase() !== name.toLowerCase()) return false;
  const origin = new URL(vaultUrl).origin.toLowerCase();
  const vault = new URL(vaultUrl).hostname.split('.')[0]?.toLowerCase();
  return (
    (state.reference?.toLowerCase().includes(`secreturi=${origin}/`) ?? false) ||
    state.vault?.toLowerCase() === vault
  );
}
