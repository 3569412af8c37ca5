import { z } from 'zod';
import { parseWith, type ParseResult } from './parseResult';

const nearExpiry = 'Microsoft.KeyVault.SecretNearExpiry';
const expired = 'Microsoft.KeyVault.SecretExpired';
const secretEvents = [nearExpiry, expired] as const;

/** Key Vault's published samples have padded keys and values (`"ObjectName "`, `" ee05…"`): trim both. */
const trimmedKeys = z
  .record(z.string(), z.unknown())
  .transform((data) =>
    Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key.trim(),
        typeof value === 'string' ? value.trim() : value,
      ]),
    ),
  );

const secretEventData = z.object({
  /** The version's URI, `https://<vault>/secrets/<name>/<version>`. */
  Id: z.url(),
  VaultName: z.string().min(1),
  ObjectType: z.literal('Secret', { error: 'expected a secret event' }),
  ObjectName: z.string().min(1),
  Version: z.string().min(1),
});

const eventType = z.enum(secretEvents, {
  error: `expected "${nearExpiry}" or "${expired}"; subscribe this function to those events only`,
});
const cloudEventKind = z.object({ specversion: z.literal('1.0'), type: eventType });
const eventGridEventKind = z.object({ eventType });

/** A secret version of which Key Vault says it expires soon (30 days ahead) or has expired. */
export interface SecretExpiryEvent {
  type: 'nearExpiry' | 'expired';
  /** The secret's URI without its version. */
  secretUri: string;
  vaultName: string;
  name: string;
  version: string;
}

/**
 * Validates one Event Grid delivery of `Microsoft.KeyVault.SecretNearExpiry` or `SecretExpired`, in
 * the Event Grid schema or CloudEvents 1.0. Key Vault's published payloads pad some keys and values
 * with spaces and write `NBF`/`EXP` as strings; only the fields Shepherd acts on are checked.
 */
export function parseSecretExpiryEvent(event: unknown): ParseResult<SecretExpiryEvent> {
  const isCloudEvent = typeof event === 'object' && event !== null && 'specversion' in event;
  const kind = isCloudEvent ? parseWith(cloudEventKind, event) : parseWith(eventGridEventKind, event);
  if (!kind.ok) return kind;
  const type = 'type' in kind.value ? kind.value.type : kind.value.eventType;
  const data = parseWith(z.object({ data: trimmedKeys.pipe(secretEventData) }), event);
  if (!data.ok) return data;
  const { Id, VaultName, ObjectName, Version } = data.value.data;
  const url = new URL(Id);
  return {
    ok: true,
    value: {
      type: type === nearExpiry ? 'nearExpiry' : 'expired',
      secretUri: `${url.origin}/secrets/${ObjectName}`,
      vaultName: VaultName,
      name: ObjectName,
      version: Version,
    },
  };
}
