import type { VaultReads } from '../keyVault/reads';
import { parseKeyVaultReference } from './keyVaultReference';

/** App Service's `ResolveStatus` values the sandbox produces. */
export type ResolveStatus =
  | 'Resolved'
  | 'InvalidSyntax'
  | 'VaultNotFound'
  | 'SecretNotFound'
  | 'SecretVersionNotFound'
  | 'OtherReasons';

/** How one app setting's Key Vault reference resolved, as `configreferences/appsettings` reports it. */
export interface Resolution {
  /** The setting's value: the reference as written. */
  reference: string;
  status: ResolveStatus;
  vaultName: string | undefined;
  secretName: string | undefined;
  /** The version the reference pins, if it does. */
  secretVersion: string | undefined;
  /** The version it resolved to. */
  activeVersion: string | undefined;
  details: string;
  /** The secret's value, when resolved; the process gets the reference text itself otherwise. */
  value: string | undefined;
}

/**
 * Resolves an app setting's value if it is a Key Vault reference (undefined when it is not), reading
 * the one vault the sandbox has; any other vault is not found.
 */
export function resolveReference(text: string, vault: VaultReads | undefined): Resolution | undefined {
  const parsed = parseKeyVaultReference(text);
  if (parsed === undefined) return undefined;
  const unresolved = { reference: text, activeVersion: undefined, value: undefined };
  if (parsed === 'InvalidSyntax') {
    return {
      ...unresolved,
      status: 'InvalidSyntax',
      vaultName: undefined,
      secretName: undefined,
      secretVersion: undefined,
      details: 'The value is not a Key Vault reference App Service can read.',
    };
  }
  const { secretName, secretVersion } = parsed;
  const isThisVault =
    vault !== undefined &&
    (parsed.vaultHost === undefined ? vault.named(parsed.vaultName) : vault.servesHost(parsed.vaultHost));
  const named = {
    ...unresolved,
    vaultName: isThisVault ? vault.name : parsed.vaultName,
    secretName,
    secretVersion,
  };
  if (!isThisVault)
    return { ...named, status: 'VaultNotFound', details: `No vault named ${parsed.vaultName} was found.` };
  const read = vault.read(secretName, secretVersion);
  if ('missing' in read) {
    return read.missing === 'secret'
      ? { ...named, status: 'SecretNotFound', details: `The vault has no secret ${secretName}.` }
      : {
          ...named,
          status: 'SecretVersionNotFound',
          details: `The secret ${secretName} has no version ${secretVersion ?? ''}.`,
        };
  }
  if ('refused' in read)
    return {
      ...named,
      status: 'OtherReasons',
      details: `The vault refused to read ${secretName}: it is disabled.`,
    };
  return {
    ...named,
    status: 'Resolved',
    activeVersion: read.version,
    value: read.value,
    details: `Resolved to version ${read.version} of ${secretName}.`,
  };
}
