/** Days a deleted secret stays recoverable before Key Vault purges it: the default and the most. */
export const recoverableDays = 90;

/** One version of a secret. Times are epoch seconds, as Key Vault's wire format has them. */
export interface SecretVersion {
  /** The name as first set; requests may spell it in any case, as Key Vault names are case-insensitive. */
  readonly name: string;
  /** 32 lowercase hex digits, as Key Vault's version ids are. */
  readonly version: string;
  readonly value: string;
  readonly contentType: string | undefined;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly enabled: boolean;
  readonly nbf: number | undefined;
  readonly exp: number | undefined;
  readonly created: number;
  readonly updated: number;
}

/** A soft-deleted secret: its latest version, kept until it is recovered or purged. */
export interface DeletedSecret {
  readonly latest: SecretVersion;
  readonly deletedDate: number;
  readonly scheduledPurgeDate: number;
}

/** The attributes a caller may set; absent ones keep their value (or default, on a new version). */
export interface SecretAttributesInput {
  enabled?: boolean | undefined;
  nbf?: number | undefined;
  exp?: number | undefined;
}

export interface SetSecretInput {
  value: string;
  contentType?: string | undefined;
  tags?: Record<string, string> | undefined;
  attributes?: SecretAttributesInput | undefined;
}

export type UpdateSecretInput = Omit<SetSecretInput, 'value'>;

/** What changed, told to the store's listener after the change is made. */
export type SecretChange =
  | { kind: 'created'; version: SecretVersion }
  | { kind: 'updated'; before: SecretVersion; after: SecretVersion; isLatest: boolean }
  | { kind: 'deleted'; deleted: DeletedSecret }
  | { kind: 'recovered'; latest: SecretVersion }
  | { kind: 'purged'; name: string };

/** The key a secret is known by: names are case-insensitive. Lists are in ascending order of it. */
export function secretKey(name: string): string {
  return name.toLowerCase();
}

/**
 * The key a secret's versions are listed and paged by: Key Vault lists them in ascending order of their
 * ids, not of their creation, and documents no order at all (Azure/azure-sdk-for-net#45792; the order
 * observed in nagyesta/lowkey-vault#428). Callers sort by `created` themselves.
 */
export function versionKey(version: SecretVersion): string {
  return version.version;
}
