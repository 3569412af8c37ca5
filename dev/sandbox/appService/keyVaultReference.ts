/**
 * What an app setting's Key Vault reference names, as App Service reads it (docs:
 * app-service-key-vault-references, "Understand source app settings from Key Vault"):
 * `@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>[/<version>])` or
 * `@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>])`.
 */
export interface KeyVaultReference {
  /** The vault as the reference names it: `VaultName`, or the first label of the SecretUri's host. */
  vaultName: string;
  /** The SecretUri's host (with its port, if any), lower case; undefined in the VaultName form. */
  vaultHost: string | undefined;
  secretName: string;
  /** The version the reference pins; undefined when it follows the latest version. */
  secretVersion: string | undefined;
}

/** Key Vault's rule for object names: 1–127 letters, digits and dashes. */
const objectName = /^[0-9a-zA-Z-]{1,127}$/;
const versionId = /^[0-9a-zA-Z]{1,64}$/;
const prefix = '@microsoft.keyvault(';

/**
 * The reference an app setting's value holds; `InvalidSyntax` for a value written as a reference
 * that App Service cannot read, and undefined for an ordinary value.
 */
export function parseKeyVaultReference(value: string): KeyVaultReference | 'InvalidSyntax' | undefined {
  if (!value.toLowerCase().startsWith(prefix)) return undefined;
  if (!value.endsWith(')')) return 'InvalidSyntax';
  const fields = toFields(value.slice(prefix.length, -1));
  if (!fields) return 'InvalidSyntax';
  const secretUri = fields.get('secreturi');
  if (secretUri !== undefined) return fields.size === 1 ? fromSecretUri(secretUri) : 'InvalidSyntax';
  return fromVaultName(fields);
}

/** `Key=value;Key=value`, keys in lower case; undefined when a part is not `key=value` or repeats a key. */
function toFields(text: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim().toLowerCase();
    if (fields.has(key)) return undefined;
    fields.set(key, part.slice(eq + 1).trim());
  }
  return fields;
}

function fromSecretUri(text: string): KeyVaultReference | 'InvalidSyntax' {
  let uri: URL;
  try {
    uri = new URL(text);
  } catch {
    return 'InvalidSyntax';
  }
  if (uri.protocol !== 'https:' || uri.search !== '' || uri.hash !== '') return 'InvalidSyntax';
  // `/secrets/<name>`, `/secrets/<name>/` (both follow the latest version) or `/secrets/<name>/<version>`.
  const [, collection, secretName, version, ...rest] = uri.pathname.split('/');
  if (collection?.toLowerCase() !== 'secrets' || !secretName || !objectName.test(secretName))
    return 'InvalidSyntax';
  if (rest.some((segment) => segment !== '') || (version && !versionId.test(version))) return 'InvalidSyntax';
  return {
    vaultName: uri.hostname.split('.')[0] ?? uri.hostname,
    vaultHost: uri.host.toLowerCase(),
    secretName,
    secretVersion: version || undefined,
  };
}

function fromVaultName(fields: Map<string, string>): KeyVaultReference | 'InvalidSyntax' {
  const vaultName = fields.get('vaultname');
  const secretName = fields.get('secretname');
  const secretVersion = fields.get('secretversion');
  const known = new Set(['vaultname', 'secretname', 'secretversion']);
  if ([...fields.keys()].some((key) => !known.has(key))) return 'InvalidSyntax';
  if (!vaultName || !secretName || !objectName.test(secretName)) return 'InvalidSyntax';
  if (secretVersion !== undefined && secretVersion !== '' && !versionId.test(secretVersion))
    return 'InvalidSyntax';
  return { vaultName, vaultHost: undefined, secretName, secretVersion: secretVersion || undefined };
}
