import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalQuantile } from '../../src/domain/normalQuantile';
import { excessRateLowerBound, wilsonInterval } from '../../src/domain/proportionTest';

const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);
const count = (failures: number, requests: number) => ({ failures, requests });

describe('the normal quantile', () => {
  // Values of the standard normal distribution's tables.
  const rows: [number, number][] = [
    [0.5, 0],
    [0.8, 0.841621],
    [0.9, 1.281552],
    [0.95, 1.644854],
    [0.975, 1.959964],
    [0.99, 2.326348],
    [0.999, 3.090232],
    [0.01, -2.326348],
    [0.001, -3.090232],
  ];
  for (const [p, z] of rows) it(`is ${z} at ${p}`, () => near(normalQuantile(p), z, 1e-6, `z(${p})`));

  it('refuses a probability of 0, 1 or outside them', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) assert.throws(() => normalQuantile(p), RangeError);
  });
});

describe('Wilson’s score interval with continuity correction', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 4:
  // 95% two-sided intervals.
  const published: [number, number, number, number][] = [
    [81, 263, 0.2535, 0.3682],
    [15, 148, 0.0598, 0.1644],
    [0, 20, 0, 0.2005],
    [1, 29, 0.0018, 0.1963],
  ];
  for (const [failures, requests, lower, upper] of published)
    it(`gives ${lower}–${upper} for ${failures} in ${requests}`, () => {
      const interval = wilsonInterval(count(failures, requests), normalQuantile(0.975));
      near(interval.lower, lower, 5e-5, 'lower');
      near(interval.upper, upper, 5e-5, 'upper');
    });

  it('does not let 3 failures in 100 prove a rate over 1% at 95% one-sided, as the plain score interval would', () => {
    // Plain Wilson: 1.20%. Corrected: 0.93%. 3 or more failures in 100 at a true 1% happen 8% of the time.
    const { lower } = wilsonInterval(count(3, 100), normalQuantile(0.95));
    assert.ok(lower < 0.01, `${lower}`);
  });
});

describe('the lower bound of the excess failure rate (Newcombe’s hybrid score)', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions",
  // Table II, method 11: the lower ends of the two-sided 95% intervals, that is the one-sided 97.5%
  // lower bounds.
  const published: [
    string,
    { failures: number; requests: number },
    { failures: number; requests: number },
    number,
  ][] = [
    ['56/70 against 48/80', count(56, 70), count(48, 80), 0.0428],
    ['9/10 against 3/10', count(9, 10), count(3, 10), 0.1013],
    ['5/56 against 0/29', count(5, 56), count(0, 29), -0.0667],
  ];
  for (const [name, slot, production, lower] of published)
    it(`matches the published ${lower} for ${name}`, () =>
      near(excessRateLowerBound(slot, production, 0.975), lower, 5e-5, name));

  it('is below the observed difference, and lower still at a higher confidence', () => {
    const slot = count(15, 500);
    const production = count(2, 500);
    const at95 = excessRateLowerBound(slot, production, 0.95);
    const at99 = excessRateLowerBound(slot, production, 0.99);
    assert.ok(at95 < 0.026 && at99 < at95, `${at95}, ${at99}`);
  });

  it('is negative for two sides with no failures: nothing shows the slot worse', () => {
    assert.ok(excessRateLowerBound(count(0, 100), count(0, 100), 0.95) < 0);
  });

  it('refuses a side without requests', () => {
    assert.throws(() => excessRateLowerBound(count(0, 0), count(1, 100), 0.95), RangeError);
    assert.throws(() => excessRateLowerBound(count(1, 100), count(0, 0), 0.95), RangeError);
  });
});
