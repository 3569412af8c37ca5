import { normalQuantile } from './normalQuantile';

/** Requests and how many of them failed, on one side of a comparison. */
export interface FailureCount {
  failures: number;
  requests: number;
}

/**
 * Wilson's score interval of a proportion with continuity correction (E. B. Wilson, JASA 22, 1927;
 * the corrected form as given by R. G. Newcombe, "Two-sided confidence intervals for the single
 * proportion: comparison of seven methods", Statistics in Medicine 17, 1998, method 4), for `z`
 * standard errors. It stays inside [0, 1] and, unlike the uncorrected score interval, does not
 * claim more than the counts show when failures are few: 3 failures in 100 requests do not prove a
 * rate over 1%.
 */
export function wilsonInterval(count: FailureCount, z: number): { lower: number; upper: number } {
  const { failures, requests } = count;
  const rate = failures / requests;
  const z2 = z * z;
  const denominator = 2 * (requests + z2);
  const lower =
    failures === 0
      ? 0
      : (2 * failures +
          z2 -
          1 -
          z * Math.sqrt(z2 - 2 - 1 / requests + 4 * rate * (requests * (1 - rate) + 1))) /
        denominator;
  const upper =
    failures === requests
      ? 1
      : (2 * failures +
          z2 +
          1 +
          z * Math.sqrt(z2 + 2 - 1 / requests + 4 * rate * (requests * (1 - rate) - 1))) /
        denominator;
  return { lower: Math.max(0, lower), upper: Math.min(1, upper) };
}

/**
 * A one-sided lower confidence bound, at `confidence` (e.g. 0.95), of how far the slot's failure
 * rate exceeds production's: Newcombe's hybrid score interval for a difference of two independent
 * proportions (R. G. Newcombe, "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Statistics in Medicine 17, 1998, method 11: the
 * continuity-corrected form), built from each side's Wilson bound. It keeps to its nominal coverage
 * with small counts and zero failures, where the Wald interval (difference ± z·SE) is far too
 * narrow; the correction makes it err on the side of not failing a healthy slot by chance.
 *
 * The slot is worse than production by more than a margin, with that confidence, when this bound
 * is above the margin. Both sides need at least one request.
 */
export function excessRateLowerBound(
  slot: FailureCount,
  production: FailureCount,
  confidence: number,
): number {
  if (slot.requests <= 0 || production.requests <= 0)
    throw new RangeError('Comparing failure rates needs requests on both sides.');
  const z = normalQuantile(confidence);
  const slotRate = slot.failures / slot.requests;
  const productionRate = production.failures / production.requests;
  const slotLower = wilsonInterval(slot, z).lower;
  const productionUpper = wilsonInterval(production, z).upper;
  return slotRate - productionRate - Math.hypot(slotRate - slotLower, productionUpper - productionRate);
}
