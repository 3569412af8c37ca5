import type { TokenCredential } from '@azure/identity';
import { azureCall } from './azureOperationError';
import { sdk } from './sdk';
import { SecretClients } from './secretClients';

/** Reads secrets by their Key Vault URI. */
export interface SecretReader {
  /** The value of the secret at `secretUri` (`https://<vault>/secrets/<name>[/<version>]`), its latest version unless one is named. */
  readSecret(secretUri: string): Promise<string>;
}

/** SecretReader over `@azure/keyvault-secrets`, one client per vault. */
export class KeyVaultSecretReader implements SecretReader {
  readonly #clients: SecretClients;

  /** `options.sandbox` as for {@link SecretClients}. */
  constructor(credential: TokenCredential, options: { sandbox: boolean }) {
    this.#clients = new SecretClients(credential, options);
  }

  async readSecret(secretUri: string): Promise<string> {
    const id = sdk('@azure/keyvault-secrets').parseKeyVaultSecretIdentifier(secretUri);
    return azureCall(`read the Key Vault secret ${id.name}`, async () => {
      const secret = await this.#clients.forVault(id.vaultUrl).getSecret(id.name, { version: id.version });
      if (secret.value === undefined) throw new Error('the secret has no value');
      return secret.value;
    });
  }
}
