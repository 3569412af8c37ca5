import type { SecretStore } from './store';

/** A secret version as another Azure service reads it from the vault, or why it cannot. */
export type SecretRead =
  { version: string; value: string } | { missing: 'secret' | 'version' } | { refused: 'disabled' };

/**
 * The vault as other sandbox services reach it, the way App Service reads Key Vault references with
 * the app's identity: by the vault's name or by the host its secret URIs name.
 */
export interface VaultReads {
  /** The vault's name, as `VaultName=` and `https://<name>.vault.azure.net` name it. */
  readonly name: string;
  /** Whether a reference's `VaultName` is this vault's (vault names are case-insensitive). */
  named(vaultName: string): boolean;
  /** Whether a secret URI's host (`host[:port]`, lower case) is this vault's. */
  servesHost(host: string): boolean;
  /** The version `version` names, or the latest (the newest, as Key Vault reads it) without one. */
  read(secret: string, version: string | undefined): SecretRead;
}

/** VaultReads over a vault's store; `url` is where its data plane listens, once it does. */
export function vaultReads(
  name: string,
  store: () => SecretStore | undefined,
  url: () => string,
): VaultReads {
  const azureHost = `${name}.vault.azure.net`.toLowerCase();
  return {
    name,
    named: (vaultName) => vaultName.toLowerCase() === name.toLowerCase(),
    servesHost: (host) => host === azureHost || (url() !== '' && host === new URL(url()).host.toLowerCase()),
    read: (secret, version) => {
      const latest = store()?.latest(secret);
      if (!latest) return { missing: 'secret' };
      // Key Vault lists versions by id, not by age, so the latest is asked for, never taken from the list.
      const found = version
        ? store()
            ?.versions(secret)
            .find((v) => v.version === version.toLowerCase())
        : latest;
      if (!found) return { missing: 'version' };
      if (!found.enabled) return { refused: 'disabled' };
      return { version: found.version, value: found.value };
    },
  };
}
