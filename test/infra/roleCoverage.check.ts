import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildBicep, mainBicep, repoRoot } from '../../dev/infra/bicepCli';
import { bicepUnderTest } from '../support/bicepUnderTest';
import { customRoleActions } from '../support/armTemplate';
import type { ArmTemplate } from '../support/armTemplate';

/**
 * Run by `npm test` after every other test file (dev/test/run.ts): the sandboxes of the end-to-end
 * tests wrote down each ARM operation Shepherd called, and each must be granted by the roles
 * infra/ gives Shepherd's identity where the call lands.
 */
const logFolder = process.env.SANDBOX_ARM_OPERATION_LOG ?? join(repoRoot, '.local', 'arm-operations');

/**
 * Monitoring Reader's actions, from Azure's list of built-in roles
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/monitor#monitoring-reader).
 */
const monitoringReaderActions = [
  '*/read',
  'Microsoft.OperationalInsights/workspaces/search/action',
  'Microsoft.Support/*',
];

/** Whether RBAC's `pattern` (case-insensitive, `*` for any run of characters) grants `operation`. */
function grants(pattern: string, operation: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(operation);
}

function recordedOperations(): string[] {
  if (!existsSync(logFolder)) return [];
  const lines = readdirSync(logFolder).flatMap((file) =>
    readFileSync(join(logFolder, file), 'utf8').split('\n'),
  );
  const byKey = new Map(lines.filter((l) => l !== '').map((l) => [l.toLowerCase(), l]));
  return [...byKey.values()].sort();
}

const { bicep, noBicep } = bicepUnderTest();

describe(
  "Shepherd's roles in infra/ against the ARM operations it called in the sandbox",
  { skip: noBicep },
  () => {
    let siteActions: string[];
    let trackerActions: string[];
    const recorded = recordedOperations();

    before(() => {
      const build = buildBicep(bicep ?? '', mainBicep);
      const template = JSON.parse(build.template) as ArmTemplate;
      siteActions = [...customRoleActions(template, 'Shepherd site operator'), ...monitoringReaderActions];
      trackerActions = customRoleActions(template, 'Shepherd operation tracker');
    });

    it('saw the end-to-end tests deploy, route, swap and read metrics', () => {
      for (const operation of [
        'Microsoft.Web/sites/slots/config/write',
        'Microsoft.Web/sites/config/write',
        'Microsoft.Web/sites/slotsswap/action',
        'Microsoft.Insights/metrics/read',
      ]) {
        assert.ok(
          recorded.some((r) => r.toLowerCase() === operation.toLowerCase()),
          `${operation} among the ${recorded.length} recorded in ${logFolder}`,
        );
      }
    });

    it('grants each operation on a site through the site operator role or Monitoring Reader, on that site', () => {
      const onSites = recorded.filter((op) => !/^Microsoft\.Web\/locations\//i.test(op));
      assert.deepEqual(
        onSites.filter((op) => !siteActions.some((pattern) => grants(pattern, op))),
        [],
      );
    });

    it("grants the swap's progress, which App Service reports at the subscription's location, through the operation tracker role", () => {
      const atLocations = recorded.filter((op) => /^Microsoft\.Web\/locations\//i.test(op));
      assert.ok(atLocations.length > 0, 'a swap was followed');
      assert.deepEqual(
        atLocations.filter((op) => !trackerActions.some((pattern) => grants(pattern, op))),
        [],
      );
    });
  },
);
