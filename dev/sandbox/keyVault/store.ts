import { randomBytes } from 'node:crypto';
import { deletedSecretNotFound, secretIsDeleted, secretIsDisabled, secretNotFound } from './errors';
import { recoverableDays, secretKey, versionKey } from './secret';
import type { DeletedSecret, SecretChange, SecretVersion, SetSecretInput, UpdateSecretInput } from './secret';

const daySeconds = 86_400;

interface Entry {
  versions: SecretVersion[];
  deleted: { deletedDate: number; scheduledPurgeDate: number } | undefined;
}

/**
 * The secrets of one vault with soft-delete on, and Key Vault's rules for them: every set makes a new
 * version, a deleted name can only be recovered or purged, a disabled version's value cannot be read.
 * Failures throw {@link KeyVaultError}s carrying the status and body Key Vault answers with.
 */
export class SecretStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #onChange: (change: SecretChange) => void;

  /** `now` gives epoch milliseconds (the sandbox clock); `onChange` hears of every change. */
  constructor(now: () => number, onChange: (change: SecretChange) => void) {
    this.#now = now;
    this.#onChange = onChange;
  }

  /** Adds a new version, creating the secret if it does not exist. */
  set(name: string, input: SetSecretInput): SecretVersion {
    const entry = this.#entries.get(secretKey(name));
    if (entry?.deleted) throw secretIsDeleted(name);
    const now = this.#seconds();
    const version: SecretVersion = {
      name: entry?.versions[0]?.name ?? name,
      version: randomBytes(16).toString('hex'),
      value: input.value,
      contentType: input.contentType,
      tags: input.tags,
      enabled: input.attributes?.enabled ?? true,
      nbf: input.attributes?.nbf,
      exp: input.attributes?.exp,
      created: now,
      updated: now,
    };
    if (entry) entry.versions.push(version);
    else this.#entries.set(secretKey(name), { versions: [version], deleted: undefined });
    this.#onChange({ kind: 'created', version });
    return version;
  }

  /** A version to read the value of: the latest when `version` is empty. */
  get(name: string, version?: string): SecretVersion {
    const found = this.#find(name, version);
    if (!found.enabled) throw secretIsDisabled();
    return found;
  }

  /** Changes the attributes, tags or content type of one version (the latest when `version` is empty). */
  update(name: string, version: string | undefined, input: UpdateSecretInput): SecretVersion {
    const before = this.#find(name, version);
    const after: SecretVersion = {
      ...before,
      contentType: input.contentType ?? before.contentType,
      tags: input.tags ?? before.tags,
      enabled: input.attributes?.enabled ?? before.enabled,
      nbf: input.attributes?.nbf ?? before.nbf,
      exp: input.attributes?.exp ?? before.exp,
      updated: this.#seconds(),
    };
    const versions = this.#live(name).versions;
    const index = versions.indexOf(before);
    versions[index] = after;
    this.#onChange({ kind: 'updated', before, after, isLatest: index === versions.length - 1 });
    return after;
  }

  /** The latest version of every live secret, ordered by name. */
  list(): SecretVersion[] {
    return [...this.#entries.entries()]
      .filter(([, entry]) => !entry.deleted)
      .sort(([a], [b]) => compare(a, b))
      .map(([, entry]) => latestOf(entry));
  }

  /**
   * Every version of a live secret in Key Vault's list order, ascending {@link versionKey}; none for a
   * name that is not a live secret.
   */
  versions(name: string): SecretVersion[] {
    const entry = this.#entries.get(secretKey(name));
    return entry && !entry.deleted
      ? [...entry.versions].sort((a, b) => compare(versionKey(a), versionKey(b)))
      : [];
  }

  /** The latest version of a live secret, if there is one. */
  latest(name: string): SecretVersion | undefined {
    const entry = this.#entries.get(secretKey(name));
    return entry && !entry.deleted ? latestOf(entry) : undefined;
  }

  /** Soft-deletes a secret with all its versions; it stays recoverable for {@link recoverableDays}. */
  delete(name: string): DeletedSecret {
    const entry = this.#live(name);
    const deletedDate = this.#seconds();
    entry.deleted = { deletedDate, scheduledPurgeDate: deletedDate + recoverableDays * daySeconds };
    const deleted = deletedOf(entry, entry.deleted);
    this.#onChange({ kind: 'deleted', deleted });
    return deleted;
  }

  getDeleted(name: string): DeletedSecret {
    const entry = this.#entries.get(secretKey(name));
    if (!entry?.deleted) throw deletedSecretNotFound(name);
    return deletedOf(entry, entry.deleted);
  }

  /** Every soft-deleted secret, ordered by name. */
  listDeleted(): DeletedSecret[] {
    return [...this.#entries.entries()]
      .sort(([a], [b]) => compare(a, b))
      .flatMap(([, entry]) => (entry.deleted ? [deletedOf(entry, entry.deleted)] : []));
  }

  /** Brings a soft-deleted secret back with all its versions; returns its latest version. */
  recover(name: string): SecretVersion {
    const entry = this.#entries.get(secretKey(name));
    if (!entry?.deleted) throw deletedSecretNotFound(name);
    entry.deleted = undefined;
    const latest = latestOf(entry);
    this.#onChange({ kind: 'recovered', latest });
    return latest;
  }

  /** Removes a soft-deleted secret for good, freeing its name. */
  purge(name: string): void {
    const entry = this.#entries.get(secretKey(name));
    if (!entry?.deleted) throw deletedSecretNotFound(name);
    this.#entries.delete(secretKey(name));
    this.#onChange({ kind: 'purged', name: latestOf(entry).name });
  }

  #live(name: string): Entry {
    const entry = this.#entries.get(secretKey(name));
    if (!entry || entry.deleted) throw secretNotFound(name);
    return entry;
  }

  #find(name: string, version: string | undefined): SecretVersion {
    const entry = this.#live(name);
    if (!version) return latestOf(entry);
    const found = entry.versions.find((v) => v.version === version.toLowerCase());
    if (!found) throw secretNotFound(`${name}/${version}`);
    return found;
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function latestOf(entry: Entry): SecretVersion {
  const latest = entry.versions.at(-1);
  // An entry is created with its first version and versions are never removed one by one.
  if (!latest) throw new Error('A secret entry without versions.');
  return latest;
}

function deletedOf(entry: Entry, deleted: NonNullable<Entry['deleted']>): DeletedSecret {
  return { latest: latestOf(entry), ...deleted };
}
