/** The rule that rolls a canary back in the middle of its window (a target's `failFast` with its `max5xxRate`). */
export interface SevereFaultRule {
  /** The slot's 5xx gate (`gates.max5xxRate`). */
  max5xxRate: number;
  /** Confidence of the one-sided interval whose lower bound must clear the gate, e.g. 0.999. */
  level: number;
  /** Fewer user requests than this are never a severe fault, however many failed. */
  minRequests: number;
  /** This many probe rounds failing in a row are a severe fault. */
  probeFailuresInARow: number;
}

/** What the watch has seen of the slot so far in a canary step (its probes' own requests left out). */
export interface WatchEvidence {
  /** User requests the slot served so far, from Azure Monitor's minutes that have arrived. */
  requests: number;
  http5xx: number;
  /** Probe rounds that failed in a row, up to the latest. */
  probeFailuresInARow: number;
}

/** The rule's finding, with the numbers behind it for the status and the audit trail. */
export interface SevereFaultFinding {
  severe: boolean;
  reason: string;
  requests: number;
  errors: number;
  /** The lower bound of the slot's 5xx rate at `level`; absent below the minimum of requests. */
  lowerBound: number | undefined;
  level: number;
  probeFailuresInARow: number;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(2)}%`;

/**
 * Whether the evidence so far is overwhelming enough to roll back now, before the window ends: the
 * lower bound of a one-sided Wilson score interval at `level` of the slot's 5xx rate is above the gate
 * (with at least `minRequests` user requests), or the probes failed `probeFailuresInARow` rounds in a
 * row. A rate merely above the gate is not enough: a doubtful window is for the window's judgement.
 */
export function judgeSevereFault(evidence: WatchEvidence, rule: SevereFaultRule): SevereFaultFinding {
  const { requests, http5xx: errors, probeFailuresInARow } = evidence;
  const lowerBound =
    requests >= rule.minRequests ? wilsonLowerBound(errors, requests, rule.level) : undefined;
  const numbers = { requests, errors, lowerBound, level: rule.level, probeFailuresInARow };
  const confidence = `${(rule.level * 100).toFixed(1)}%`;
  if (lowerBound !== undefined && lowerBound > rule.max5xxRate)
    return {
      severe: true,
      reason: `severe fault: ${errors} of ${requests} requests failed; with ${confidence} confidence the 5xx rate is at least ${percent(lowerBound)}, over the ${percent(rule.max5xxRate)} gate`,
      ...numbers,
    };
  if (probeFailuresInARow >= rule.probeFailuresInARow)
    return {
      severe: true,
      reason: `severe fault: the slot failed ${probeFailuresInARow} probe rounds in a row`,
      ...numbers,
    };
  return { severe: false, reason: 'no severe fault so far', ...numbers };
}

/**
 * The lower bound of the one-sided Wilson score interval at `level` for a rate of `errors` in
 * `requests` (E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
 * JASA 22 (1927) 209–212; recommended over the Wald interval for small counts and rates near 0 by
 * Brown, Cai & DasGupta, Statistical Science 16 (2001) 101–133).
 */
export function wilsonLowerBound(errors: number, requests: number, level: number): number {
  if (requests <= 0) return 0;
  const z = normalQuantile(level);
  const p = errors / requests;
  const z2n = (z * z) / requests;
  const centre = p + z2n / 2;
  const spread = z * Math.sqrt((p * (1 - p)) / requests + z2n / (4 * requests));
  return Math.max(0, (centre - spread) / (1 + z2n));
}

/**
 * The standard normal quantile Φ⁻¹(p), by P. J. Acklam's rational approximation (relative error
 * below 1.2e-9, "An algorithm for computing the inverse normal cumulative distribution function", 2003).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, not ${p}`);
  const low = 0.02425;
  if (p < low) return lowerTail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -lowerTail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (horner(centralNumerator, r) * q) / horner(centralDenominator, r);
}

const centralNumerator = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const centralDenominator = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1,
];
const tailNumerator = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const tailDenominator = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];

function lowerTail(q: number): number {
  return horner(tailNumerator, q) / horner(tailDenominator, q);
}

/** The polynomial with `coefficients` (highest power first) at `x`. */
function horner(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, k) => sum * x + k, 0);
}
