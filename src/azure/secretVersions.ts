import type { TokenCredential } from '@azure/identity';
import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';
import { AzureOperationError, azureCall, toAzureOperationError } from './azureOperationError';
import { redactSecrets } from './postgresSecrets';
import { sdk } from './sdk';
import { SecretClients } from './secretClients';

/** One version of a Key Vault secret, never with its value. */
export interface SecretVersionInfo {
  /** The version id, 32 hex digits. */
  version: string;
  /** The version's own URI, `https://<vault>/secrets/<name>/<version>`, to read its value with a `SecretReader`. */
  id: string;
  createdOn: Date;
  /** Undefined when the version never expires. */
  expiresOn: Date | undefined;
  /** A disabled version's value cannot be read, not even as the latest (403 `SecretDisabled`). */
  enabled: boolean;
  contentType: string | undefined;
  tags: Record<string, string>;
}

/** What Shepherd writes with a new version besides its value. */
export interface NewVersionProperties {
  /** Set, so that Key Vault's `SecretNearExpiry` (30 days before it) announces the next rotation. */
  expiresOn: Date;
  /** At most {@link maxVersionTags}: which role, when, why and by whom, as the rotation decides. */
  tags: Record<string, string>;
}

/** The tag with which a version written by {@link SecretVersions.restore} names the version it copies. */
export const restoredFromVersionTag = 'RestoredFromVersion';

/** Key Vault refuses a 16th tag with a bare "Property has invalid value" (docs: about-secrets, "Secret tags"). */
export const maxVersionTags = 15;

/**
 * The versions of Key Vault secrets, each named by its versionless URI
 * (`https://<vault>/secrets/<name>`), which is also what a versionless `@Microsoft.KeyVault`
 * reference reads: the latest version, enabled or not.
 */
export interface SecretVersions {
  /**
   * The latest version, which every versionless reader gets. When it is disabled (readers then fail
   * with 403 rather than fall back to an older version), this says so with `enabled: false`.
   */
  current(secretUri: string): Promise<SecretVersionInfo>;
  /** Every version, newest first. */
  list(secretUri: string): Promise<SecretVersionInfo[]>;
  /** Writes `value` as a new, enabled version, which becomes the latest. */
  write(
    secretUri: string,
    value: string,
    properties: NewVersionProperties & { contentType: string },
  ): Promise<SecretVersionInfo>;
  /**
   * Makes an earlier version's value current again, the one way Key Vault has: a new version holding
   * that value and content type, tagged {@link restoredFromVersionTag}. The value never leaves here.
   */
  restore(secretUri: string, version: string, properties: NewVersionProperties): Promise<SecretVersionInfo>;
  /** Sets `tags` on an existing version, keeping its other tags; its value does not change. */
  tag(secretUri: string, version: string, tags: Record<string, string>): Promise<void>;
}

/**
 * SecretVersions over `@azure/keyvault-secrets`. Key Vault lists a secret's versions in the order of
 * their ids, not of their creation, and documents no order (Azure/azure-sdk-for-net#45792; its
 * published GetSecretVersions example pages by version id), so the list is sorted here by creation
 * time, which has one-second resolution: versions made within the same second keep no order.
 */
export class KeyVaultSecretVersions implements SecretVersions {
  readonly #clients: SecretClients;

  /** `options.sandbox` as for {@link SecretClients}. */
  constructor(credential: TokenCredential, options: { sandbox: boolean }) {
    this.#clients = new SecretClients(credential, options);
  }

  async current(secretUri: string): Promise<SecretVersionInfo> {
    const { client, name } = this.#secret(secretUri, 'read the current version of');
    try {
      // Only a get says which version is the latest; its value is dropped on the spot.
      const { properties } = await client.getSecret(name);
      return toVersionInfo(properties);
    } catch (err) {
      if (!isDisabledSecret(err))
        throw toError(`read the current version of Key Vault secret ${name}`, err, []);
    }
    const latest = (await this.list(secretUri)).find((v) => !v.enabled);
    if (!latest)
      throw new AzureOperationError(
        `read the current version of Key Vault secret ${name}`,
        403,
        'SecretDisabled',
        'Key Vault says the latest version is disabled, yet lists none that is',
      );
    return latest;
  }

  async list(secretUri: string): Promise<SecretVersionInfo[]> {
    const { client, name } = this.#secret(secretUri, 'list the versions of');
    return azureCall(`list the versions of Key Vault secret ${name}`, async () => {
      const versions: SecretVersionInfo[] = [];
      for await (const properties of client.listPropertiesOfSecretVersions(name))
        versions.push(toVersionInfo(properties));
      return versions.sort(newestFirst);
    });
  }

  async write(
    secretUri: string,
    value: string,
    properties: NewVersionProperties & { contentType: string },
  ): Promise<SecretVersionInfo> {
    const operation = 'write a new version of';
    const { client, name } = this.#secret(secretUri, operation, properties.tags);
    try {
      const written = await client.setSecret(name, value, { ...properties, enabled: true });
      return toVersionInfo(written.properties);
    } catch (err) {
      throw toError(`${operation} Key Vault secret ${name}`, err, [value]);
    }
  }

  async restore(
    secretUri: string,
    version: string,
    properties: NewVersionProperties,
  ): Promise<SecretVersionInfo> {
    const tags = { ...properties.tags, [restoredFromVersionTag]: version };
    const operation = `restore version ${version} of`;
    const { client, name } = this.#secret(secretUri, operation, tags);
    let value = '';
    try {
      const earlier = await client.getSecret(name, { version });
      if (earlier.value === undefined) throw new Error(`version ${version} has no value`);
      value = earlier.value;
      const written = await client.setSecret(name, value, {
        expiresOn: properties.expiresOn,
        tags,
        enabled: true,
        ...(earlier.properties.contentType === undefined
          ? {}
          : { contentType: earlier.properties.contentType }),
      });
      return toVersionInfo(written.properties);
    } catch (err) {
      throw toError(`${operation} Key Vault secret ${name}`, err, [value]);
    }
  }

  async tag(secretUri: string, version: string, tags: Record<string, string>): Promise<void> {
    const { client, name } = this.#secret(secretUri, `tag version ${version} of`);
    await azureCall(`tag version ${version} of Key Vault secret ${name}`, async () => {
      const { properties } = await client.getSecret(name, { version });
      const merged = { ...properties.tags, ...tags };
      if (Object.keys(merged).length > maxVersionTags)
        throw new Error(`a version takes at most ${maxVersionTags} tags, not ${Object.keys(merged).length}`);
      await client.updateSecretProperties(name, version, { tags: merged });
    });
  }

  /** The vault's client and the secret's name; refuses a URI naming a version, or too many tags, before any call. */
  #secret(
    secretUri: string,
    operation: string,
    tags: Record<string, string> = {},
  ): { client: SecretClient; name: string } {
    const id = sdk('@azure/keyvault-secrets').parseKeyVaultSecretIdentifier(secretUri);
    const refuse = (reason: string): never => {
      throw new AzureOperationError(`${operation} Key Vault secret ${id.name}`, undefined, undefined, reason);
    };
    if (id.version)
      refuse(`${secretUri} names version ${id.version}; versions are managed through the versionless URI`);
    if (Object.keys(tags).length > maxVersionTags)
      refuse(`a version takes at most ${maxVersionTags} tags, not ${Object.keys(tags).length}`);
    return { client: this.#clients.forVault(id.vaultUrl), name: id.name };
  }
}

function toVersionInfo(properties: SecretProperties): SecretVersionInfo {
  const { version, id, createdOn } = properties;
  // Key Vault always answers with these; a version without them would be a broken answer.
  if (version === undefined || id === undefined || createdOn === undefined)
    throw new Error('Key Vault answered without the version, id or creation time of a secret version');
  return {
    version,
    id,
    createdOn,
    expiresOn: properties.expiresOn,
    enabled: properties.enabled ?? true,
    contentType: properties.contentType,
    tags: { ...properties.tags },
  };
}

function newestFirst(a: SecretVersionInfo, b: SecretVersionInfo): number {
  return b.createdOn.getTime() - a.createdOn.getTime();
}

/** Key Vault's answer to a get of a disabled version: 403 with `innererror.code` `SecretDisabled` (the SDK's `details.error.innerError`). */
function isDisabledSecret(err: unknown): boolean {
  const details = (err as { details?: { error?: { innerError?: { code?: unknown } } } } | undefined)?.details;
  return (
    (err as { statusCode?: unknown } | undefined)?.statusCode === 403 &&
    details?.error?.innerError?.code === 'SecretDisabled'
  );
}

/** The AzureOperationError for a failed call, with `values` (a secret's value) taken out of its reason. */
function toError(operation: string, err: unknown, values: readonly string[]): AzureOperationError {
  const failure = toAzureOperationError(operation, err);
  return new AzureOperationError(
    failure.operation,
    failure.status,
    failure.code,
    redactSecrets(failure.reason, values),
  );
}
