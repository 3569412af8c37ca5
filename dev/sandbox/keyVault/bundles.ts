import { recoverableDays } from './secret';
import type { DeletedSecret, SecretVersion } from './secret';

/** `SecretAttributes` on the wire; `nbf` and `exp` are left out when unset, as Key Vault does. */
export interface SecretAttributesWire {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: 'Recoverable+Purgeable';
  recoverableDays: number;
}

/** `SecretItem`: what lists show, never the value. */
export interface SecretItemWire {
  id: string;
  contentType?: string;
  attributes: SecretAttributesWire;
  tags?: Record<string, string>;
}

/** `SecretBundle`: a version, with its value where the operation returns one. */
export interface SecretBundleWire extends SecretItemWire {
  value?: string;
}

export interface DeletedWire {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** The id of a secret (`…/secrets/{name}`) or of one version (`…/secrets/{name}/{version}`). */
export function secretId(vaultUrl: string, name: string, version?: string): string {
  return `${vaultUrl}/secrets/${name}${version ? `/${version}` : ''}`;
}

/** A `SecretBundle`; set and get carry the value, update and recover do not. */
export function toSecretBundle(vaultUrl: string, v: SecretVersion, withValue: boolean): SecretBundleWire {
  return {
    ...(withValue ? { value: v.value } : {}),
    ...toSecretItem(secretId(vaultUrl, v.name, v.version), v),
  };
}

/** A `SecretItem` of the secrets list, whose ids name the secret without a version. */
export function toLatestItem(vaultUrl: string, v: SecretVersion): SecretItemWire {
  return toSecretItem(secretId(vaultUrl, v.name), v);
}

/** A `SecretItem` of a versions list, whose ids name the version. */
export function toVersionItem(vaultUrl: string, v: SecretVersion): SecretItemWire {
  return toSecretItem(secretId(vaultUrl, v.name, v.version), v);
}

/** A `DeletedSecretBundle`: the latest version's properties, without the value. */
export function toDeletedSecretBundle(vaultUrl: string, d: DeletedSecret): DeletedWire & SecretItemWire {
  return { ...toDeletedWire(vaultUrl, d), ...toSecretBundle(vaultUrl, d.latest, false) };
}

/** A `DeletedSecretItem` of the deleted secrets list. */
export function toDeletedSecretItem(vaultUrl: string, d: DeletedSecret): DeletedWire & SecretItemWire {
  return { ...toDeletedWire(vaultUrl, d), ...toLatestItem(vaultUrl, d.latest) };
}

function toDeletedWire(vaultUrl: string, d: DeletedSecret): DeletedWire {
  return {
    recoveryId: `${vaultUrl}/deletedsecrets/${d.latest.name}`,
    deletedDate: d.deletedDate,
    scheduledPurgeDate: d.scheduledPurgeDate,
  };
}

function toSecretItem(id: string, v: SecretVersion): SecretItemWire {
  return {
    id,
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    attributes: toAttributes(v),
    ...(v.tags !== undefined ? { tags: { ...v.tags } } : {}),
  };
}

function toAttributes(v: SecretVersion): SecretAttributesWire {
  return {
    enabled: v.enabled,
    ...(v.nbf !== undefined ? { nbf: v.nbf } : {}),
    ...(v.exp !== undefined ? { exp: v.exp } : {}),
    created: v.created,
    updated: v.updated,
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays,
  };
}
