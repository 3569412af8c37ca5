// Coefficients of P. J. Acklam's rational approximation of the inverse normal distribution
// ("An algorithm for computing the inverse normal cumulative distribution function", 2003;
// relative error below 1.15e-9 over (0, 1)).
const a = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const c = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const lowRegion = 0.02425;

/** `coefficients` as a polynomial in `x`, highest power first (Horner's rule). */
function polynomial(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, k) => sum * x + k, 0);
}

/**
 * The standard normal quantile: the z with P(Z ≤ z) = `p`, e.g. 1.645 for 0.95. Confidence bounds
 * take their width from it.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1))
    throw new RangeError(`A normal quantile needs a probability between 0 and 1, not ${p}.`);
  if (p < lowRegion) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polynomial(c, q) / (polynomial(d, q) * q + 1);
  }
  if (p > 1 - lowRegion) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(a, r) * q) / (polynomial(b, r) * r + 1);
}
