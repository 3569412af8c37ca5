import type { TokenCredential } from '@azure/identity';
import { shepherdUserAgent } from './userAgent';
import type { SecretClient } from '@azure/keyvault-secrets';
import { sdk } from './sdk';

/** One `SecretClient` per vault, made on first use and kept, for the adapters that read and write secrets. */
export class SecretClients {
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

  /** The client of the vault at `vaultUrl` (`https://<vault>.vault.azure.net`). */
  forVault(vaultUrl: string): SecretClient {
    let client = this.#clients.get(vaultUrl);
    if (!client) {
      client = new (sdk('@azure/keyvault-secrets').SecretClient)(vaultUrl, this.credential, {
        ...shepherdUserAgent,
        disableChallengeResourceVerification: this.options.sandbox,
      });
      this.#clients.set(vaultUrl, client);
    }
    return client;
  }
}
