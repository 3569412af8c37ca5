const dayMs = 24 * 3_600_000;

/**
 * Key Vault's `SecretNearExpiry` event fires this long before a version expires: new versions expire
 * this long after their rotation day, so the event fires on it.
 */
export const nearExpiryLeadDays = 30;

/** What Key Vault says of a secret's current version, as far as rotation cares. */
export interface CurrentVersion {
  createdOn: string;
  /** Undefined when the version never expires. */
  expiresOn?: string | undefined;
}

export type RotationDecision = { due: true; why: string } | { due: false; nextAt: string };

/**
 * Whether a secret Shepherd rotates every `rotationDays` is due now. It is when it has no version
 * yet, when its current version is at least that old, when it expires within the near-expiry lead
 * (the event that should have started the rotation may have been lost), or when it never expires (so
 * no event would ever come). Otherwise it says when the rotation falls due.
 */
export function decideRotation(
  current: CurrentVersion | undefined,
  rotationDays: number,
  now: number,
): RotationDecision {
  if (current === undefined) return { due: true, why: 'the secret has no version yet' };
  const created = Date.parse(current.createdOn);
  const dueAt = created + rotationDays * dayMs;
  if (now >= dueAt)
    return { due: true, why: `its current version is ${Math.floor((now - created) / dayMs)} days old` };
  if (current.expiresOn === undefined) return { due: true, why: 'its current version never expires' };
  const expires = Date.parse(current.expiresOn);
  if (now >= expires - nearExpiryLeadDays * dayMs)
    return {
      due: true,
      why:
        now >= expires
          ? 'its current version has expired'
          : `its current version expires within ${nearExpiryLeadDays} days`,
    };
  return {
    due: false,
    nextAt: new Date(Math.min(dueAt, expires - nearExpiryLeadDays * dayMs)).toISOString(),
  };
}

/**
 * When a version Shepherd writes at `createdAt` expires: `rotationDays` plus the near-expiry lead
 * after it, so that Key Vault's `SecretNearExpiry` fires on the day it is due.
 */
export function rotationExpiry(createdAt: number, rotationDays: number): string {
  return new Date(createdAt + (rotationDays + nearExpiryLeadDays) * dayMs).toISOString();
}
