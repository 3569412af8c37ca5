import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildBicep, findBicep, mainBicep, repoRoot, requireBicepVariable } from '../../dev/infra/bicepCli';
import { requiredSettingNames, settingNames } from '../../src/config';
import { resourcesOfType, templatesIn } from '../support/armTemplate';
import type { ArmTemplate } from '../support/armTemplate';

/**
 * Built-in role ids with their names, from Azure's list of built-in roles
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), kept apart from
 * infra/roles.bicep so that a mistyped or swapped id there fails here.
 */
const builtInRoleNames: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '7f951dda-4ed3-4680-a7ca-43fe172d538d': 'AcrPull',
  'c2f4ef07-c644-48eb-af81-4b1b4947fb11': 'AcrDelete',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
  '43d0d8ad-25c7-4714-9337-8ba259a9fe05': 'Monitoring Reader',
  'de139f84-1756-47ae-9be6-808fbbe84772': 'Website Contributor',
};

const bicep = findBicep();
const noBicep =
  bicep === undefined
    ? 'no Bicep CLI on PATH, in ~/.azure/bin or in .local/bicep: run `npm run infra:check` to fetch one'
    : undefined;

if (noBicep !== undefined && process.env[requireBicepVariable] !== undefined) {
  it(`finds a Bicep CLI, which ${requireBicepVariable} requires`, () => assert.fail(noBicep));
}

/** `name` without spaces or case: a role's name and its key in infra/roles.bicep compare equal. */
function squashed(name: string): string {
  return name.replaceAll(' ', '').toLowerCase();
}

interface AppSetting {
  name: string;
  value: string;
}

describe('infra/main.bicep, compiled by the real Bicep CLI', { skip: noBicep }, () => {
  let template: ArmTemplate;
  let appSettings: AppSetting[];

  before(() => {
    const build = buildBicep(bicep ?? '', mainBicep);
    assert.deepEqual(build.diagnostics, [], 'the compiler and linter print nothing');
    template = JSON.parse(build.template) as ArmTemplate;
    const sites = resourcesOfType(template, 'Microsoft.Web/sites');
    assert.equal(sites.length, 1, 'one function app');
    const siteConfig = sites[0]?.properties?.siteConfig as { appSettings: AppSetting[] };
    appSettings = siteConfig.appSettings;
  });

  it('sets every setting src/config.ts requires, and the backup storage targets with databases need', () => {
    const names = new Set(appSettings.map((s) => s.name));
    const required = [...requiredSettingNames(), 'SHEPHERD_BACKUP_STORAGE'];
    assert.ok(required.includes('SHEPHERD_STATE_STORAGE'), 'the schema names its required settings');
    assert.deepEqual(
      required.filter((name) => !names.has(name)),
      [],
    );
  });

  it('sets no Shepherd setting that src/config.ts does not read', () => {
    const known = new Set(settingNames);
    assert.deepEqual(
      appSettings.map((s) => s.name).filter((name) => name.startsWith('SHEPHERD_') && !known.has(name)),
      [],
    );
  });

  it('signs the host in to its storage by identity, with no key or connection string', () => {
    const byName = new Map(appSettings.map((s) => [s.name, s.value]));
    assert.equal(byName.get('AzureWebJobsStorage__credential'), 'managedidentity');
    assert.ok(byName.has('AzureWebJobsStorage__accountName'));
    assert.ok(!byName.has('AzureWebJobsStorage'), 'no connection string setting');
    for (const account of resourcesOfType(template, 'Microsoft.Storage/storageAccounts')) {
      assert.equal(account.properties?.allowSharedKeyAccess, false);
    }
  });

  it('reads the webhook secrets through Key Vault references, never as plain values', () => {
    for (const name of ['SHEPHERD_ACR_WEBHOOK_SECRET', 'SHEPHERD_ALERT_WEBHOOK_SECRET']) {
      const value = appSettings.find((s) => s.name === name)?.value ?? '';
      assert.match(value, /^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}\)'/, name);
    }
    const secretParams = ['acrWebhookSecret', 'alertWebhookSecret'];
    const plain = JSON.stringify(appSettings);
    for (const param of secretParams) assert.ok(!plain.includes(`parameters('${param}')`), param);
    assert.ok(!/listKeys|AccountKey=/.test(plain), 'no storage key in any setting');
  });

  it('puts no secret in any output', () => {
    for (const t of templatesIn(template)) {
      for (const [name, output] of Object.entries(t.outputs ?? {})) {
        assert.notEqual(output.type.toLowerCase(), 'securestring', name);
        assert.ok(
          !/listKeys|listSecrets|acrWebhookSecret'|alertWebhookSecret'|ConnectionString/i.test(
            JSON.stringify(output.value),
          ),
          name,
        );
      }
    }
  });

  it('gives every role by a built-in role id named beside it', () => {
    const assignments = resourcesOfType(template, 'Microsoft.Authorization/roleAssignments');
    assert.ok(assignments.length > 0);
    for (const assignment of assignments) {
      const roleId = String(assignment.properties?.roleDefinitionId);
      assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/i.test(roleId), `${roleId} names its role through builtInRoles`);
    }
    const tables = templatesIn(template).flatMap((t) => {
      const roles = t.variables?.builtInRoles;
      return roles === undefined ? [] : [roles as Record<string, string>];
    });
    assert.ok(tables.length > 0);
    for (const [key, id] of tables.flatMap((roles) => Object.entries(roles))) {
      const name = builtInRoleNames[id];
      assert.ok(name !== undefined, `${id} (${key}) is a built-in role the test knows`);
      assert.equal(squashed(key), squashed(name), `${id} is ${name}`);
    }
  });

  it('names each role id in infra/roles.bicep with that role in its comment', () => {
    const source = readFileSync(join(repoRoot, 'infra', 'roles.bicep'), 'utf8');
    const lines = [...source.matchAll(/'([0-9a-f-]{36})' \/\/ (.+)$/gm)];
    assert.equal(lines.length, Object.keys(builtInRoleNames).length);
    for (const [, id, comment] of lines) assert.equal(comment, builtInRoleNames[id ?? ''], id);
  });
});
