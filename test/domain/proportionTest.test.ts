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

describe('Wilson’s score interval', () => {
  it('bounds no failures in 100 requests by z²/(n+z²) above and 0 below', () => {
    const z = normalQuantile(0.95);
    const { lower, upper } = wilsonInterval(count(0, 100), z);
    assert.equal(lower, 0);
    near(upper, (z * z) / (100 + z * z), 1e-12, 'upper');
  });

  it('gives 2.58%–19.86% for 3 failures in 40 at 95% two-sided', () => {
    const { lower, upper } = wilsonInterval(count(3, 40), normalQuantile(0.975));
    near(lower, 0.0258, 5e-5, 'lower');
    near(upper, 0.1986, 5e-5, 'upper');
  });
});

describe('the lower bound of the excess failure rate (Newcombe’s hybrid score)', () => {
  // Newcombe (1998), Table II, method 10: the lower ends of the two-sided 95% intervals, that is the
  // one-sided 97.5% lower bounds.
  const published: [
    string,
    { failures: number; requests: number },
    { failures: number; requests: number },
    number,
  ][] = [
    ['56/70 against 48/80', count(56, 70), count(48, 80), 0.0524],
    ['9/10 against 3/10', count(9, 10), count(3, 10), 0.1705],
    ['5/56 against 0/29', count(5, 56), count(0, 29), -0.0381],
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
