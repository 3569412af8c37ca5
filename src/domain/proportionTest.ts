import { normalQuantile } from './normalQuantile';

/** Requests and how many of them failed, on one side of a comparison. */
export interface FailureCount {
  failures: number;
  requests: number;
}

/**
 * Wilson's score interval of a proportion (E. B. Wilson, "Probable inference, the law of succession,
 * and statistical inference", JASA 22, 1927), for `z` standard errors. Unlike the plain estimate ±
 * z·SE it stays inside [0, 1] and stays honest with no failures or few requests.
 */
export function wilsonInterval(count: FailureCount, z: number): { lower: number; upper: number } {
  const { failures, requests } = count;
  const z2 = z * z;
  const centre = (failures + z2 / 2) / (requests + z2);
  const half = (z / (requests + z2)) * Math.sqrt((failures * (requests - failures)) / requests + z2 / 4);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * A one-sided lower confidence bound, at `confidence` (e.g. 0.95), of how far the slot's failure
 * rate exceeds production's: Newcombe's hybrid score interval for a difference of two independent
 * proportions (R. G. Newcombe, "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Statistics in Medicine 17, 1998, method 10), built
 * from each side's Wilson bound. It keeps close to its nominal coverage with small counts and zero
 * failures, where the Wald interval (difference ± z·SE) is far too narrow.
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
