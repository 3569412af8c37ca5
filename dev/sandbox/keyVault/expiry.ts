import { secretExpired, secretNearExpiry } from './events';

/** How long before a secret's expiry Key Vault sends `SecretNearExpiry`. */
export const nearExpiryNoticeMs = 30 * 86_400_000;

export interface ExpiryNotice {
  type: typeof secretNearExpiry | typeof secretExpired;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * When the expiry events of a secret's current version fall due, seen at `nowMs`: `SecretNearExpiry`
 * 30 days before `exp` and `SecretExpired` at `exp`. One already due is due now; a version that is
 * already expired gets only `SecretExpired`, since it can no longer be near expiry.
 */
export function expiryNotices(expSeconds: number | undefined, nowMs: number): ExpiryNotice[] {
  if (expSeconds === undefined) return [];
  const expMs = expSeconds * 1000;
  if (expMs <= nowMs) return [{ type: secretExpired, at: nowMs }];
  return [
    { type: secretNearExpiry, at: Math.max(nowMs, expMs - nearExpiryNoticeMs) },
    { type: secretExpired, at: expMs },
  ];
}
