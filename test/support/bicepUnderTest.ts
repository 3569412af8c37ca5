import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findBicep, requireBicepVariable } from '../../dev/infra/bicepCli';

/**
 * The Bicep CLI the infra tests compile with, or why there is none. Without one the tests are
 * skipped with that reason, unless `SHEPHERD_REQUIRE_BICEP` is set (as in CI): then a test fails.
 */
export function bicepUnderTest(): { bicep: string | undefined; noBicep: string | undefined } {
  const bicep = findBicep();
  const noBicep =
    bicep === undefined
      ? 'no Bicep CLI on PATH, in ~/.azure/bin or in .local/bicep: run `npm run infra:check` to fetch one'
      : undefined;
  if (noBicep !== undefined && process.env[requireBicepVariable] !== undefined) {
    it(`finds a Bicep CLI, which ${requireBicepVariable} requires`, () => assert.fail(noBicep));
  }
  return { bicep, noBicep };
}
