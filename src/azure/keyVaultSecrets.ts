import type { TokenCredential } from '@azure/identity';
import { SecretClient, parseKeyVaultSecretIdentifier } from '@azure/keyvault-secrets';
import { azureCall } from './azureOperationError';

/** Reads secrets by their Key Vault URI. */
export interface SecretReader {
  /** The value of the secret at `secretUri` (`https://<vault>/secrets/<name>[/<version>]`), its latest version unless one is named. */
  readSecret(secretUri: string): Promise<string>;
}

/** SecretReader over `@azure/keyvault-secrets`, one client per vault. */
export class KeyVaultSecretReader implements SecretReader {
  readonly #clients = new Map<string, SecretClient>();

  constructor(
    private readonly credential: TokenCredential,
    /**
     * `sandbox` only for the local sandbox's vault (the settings checked it is on this machine): the
     * client otherwise checks that the vault's sign-in challenge names a Key Vault resource of the
     * vault's own domain, which a localhost vault cannot, and which keeps tokens from a forged vault.
     */
    private readonly options: { sandbox: boolean },
  ) {}

  async readSecret(secretUri: string): Promise<string> {
    const id = parseKeyVaultSecretIdentifier(secretUri);
    return azureCall(`read the Key Vault secret ${id.name}`, async () => {
      const secret = await this.#client(id.vaultUrl).getSecret(id.name, { version: id.version });
      if (secret.value === undefined) throw new Error('the secret has no value');
      return secret.value;
    });
  }

  #client(vaultUrl: string): SecretClient {
    let client = this.#clients.get(vaultUrl);
    if (!client) {
      client = new SecretClient(vaultUrl, this.credential, {
        disableChallengeResourceVerification: this.options.sandbox,
      });
      this.#clients.set(vaultUrl, client);
    }
    return client;
  }
}
