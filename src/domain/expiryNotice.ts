const dayMs = 24 * 3_600_000;

/** The points at which people are told a secret Shepherd cannot rotate is about to expire. */
export type ExpiryMilestone = 'notice' | '7days' | '1day' | 'expired';

/** Latest first: the one a late scan reports is the nearest to the expiry, never an earlier one. */
const milestones: { milestone: ExpiryMilestone; daysBefore: (noticeDays: number) => number }[] = [
  { milestone: 'expired', daysBefore: () => 0 },
  { milestone: '1day', daysBefore: () => 1 },
  { milestone: '7days', daysBefore: () => 7 },
  { milestone: 'notice', daysBefore: (noticeDays) => noticeDays },
];

export type NoticeDecision =
  { tell: true; milestone: ExpiryMilestone; text: string } | { tell: false; why: string };

/**
 * Whether a scan tells people about a secret that expires at `expiresOn`: once it is within
 * `noticeDays`, again at 7 days and 1 day, and once it has expired; each milestone once (`told` holds
 * those already sent for this version), and only the latest one reached, so a scan that comes late
 * does not send a pile of stale notices.
 */
export function decideExpiryNotice(
  expiresOn: string | undefined,
  noticeDays: number,
  told: readonly ExpiryMilestone[],
  now: number,
): NoticeDecision {
  if (expiresOn === undefined) return { tell: false, why: 'the secret never expires' };
  const expires = Date.parse(expiresOn);
  const reached = milestones.find(
    ({ milestone, daysBefore }) =>
      // A 7-day or 1-day milestone means nothing for a notice period shorter than it.
      (milestone === 'notice' || milestone === 'expired' || daysBefore(noticeDays) < noticeDays) &&
      now >= expires - daysBefore(noticeDays) * dayMs,
  );
  if (reached === undefined) return { tell: false, why: 'it is not within its notice period yet' };
  if (told.includes(reached.milestone))
    return { tell: false, why: `people were told at this milestone (${reached.milestone}) already` };
  const left = Math.ceil((expires - now) / dayMs);
  return {
    tell: true,
    milestone: reached.milestone,
    text: reached.milestone === 'expired' ? 'has expired' : `expires in ${left} day${left === 1 ? '' : 's'}`,
  };
}
