import type { ExpiryMilestone } from '../domain/expiryNotice';

/**
 * The tags Shepherd writes on the Key Vault versions it makes, as the Key Vault rotation samples keep
 * their bookkeeping with the secret: which rotation wrote it, for which role, who asked and why, and
 * the expiry notices already sent for it.
 */
export const secretTags = {
  rotation: 'ShepherdRotation',
  role: 'ShepherdRole',
  requestedBy: 'ShepherdRequestedBy',
  reason: 'ShepherdReason',
  notices: 'ShepherdNotices',
} as const;

/** Key Vault takes tag values of up to 256 characters. */
const tagValueLimit = 256;

/** A text cut to fit a tag value. */
export function tagValue(text: string): string {
  return text.length <= tagValueLimit ? text : `${text.slice(0, tagValueLimit - 1)}…`;
}

/** The expiry notices a version's tags say were sent. */
export function noticesTold(tags: Record<string, string>): ExpiryMilestone[] {
  const told = tags[secretTags.notices] ?? '';
  return told
    .split(',')
    .filter((m): m is ExpiryMilestone => ['notice', '7days', '1day', 'expired'].includes(m));
}
