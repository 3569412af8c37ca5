import { randomUUID } from 'node:crypto';
import { secretId } from './bundles';
import type { SecretVersion } from './secret';

export const secretNewVersionCreated = 'Microsoft.KeyVault.SecretNewVersionCreated';
export const secretNearExpiry = 'Microsoft.KeyVault.SecretNearExpiry';
export const secretExpired = 'Microsoft.KeyVault.SecretExpired';

export type SecretEventType = typeof secretNewVersionCreated | typeof secretNearExpiry | typeof secretExpired;

/** The `data` of Key Vault's secret events; `NBF` and `EXP` are epoch seconds. */
export interface SecretEventData {
  Id: string;
  VaultName: string;
  ObjectType: 'Secret';
  ObjectName: string;
  Version: string;
  NBF: number | null;
  EXP: number | null;
}

/** An event in the Event Grid schema. */
export interface EventGridEvent<T> {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  eventTime: string;
  data: T;
  dataVersion: string;
  metadataVersion: string;
}

/** Where the events come from: the vault's name, ARM resource id and data-plane URL. */
export interface VaultSource {
  vaultName: string;
  resourceId: string;
  vaultUrl: string;
}

/** The ARM id of a vault, which Key Vault's events carry as their `topic`. */
export function vaultResourceId(subscriptionId: string, resourceGroup: string, vaultName: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
}

/** The event Key Vault sends about one secret version, stamped with `nowMs`. */
export function toSecretEvent(
  eventType: SecretEventType,
  version: SecretVersion,
  source: VaultSource,
  nowMs: number,
): EventGridEvent<SecretEventData> {
  return {
    id: randomUUID(),
    topic: source.resourceId,
    subject: version.name,
    eventType,
    eventTime: new Date(nowMs).toISOString(),
    data: {
      Id: secretId(source.vaultUrl, version.name, version.version),
      VaultName: source.vaultName,
      ObjectType: 'Secret',
      ObjectName: version.name,
      Version: version.version,
      NBF: version.nbf ?? null,
      EXP: version.exp ?? null,
    },
    dataVersion: '1',
    metadataVersion: '1',
  };
}
