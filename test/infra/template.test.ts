import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildBicep, mainBicep, repoRoot } from '../../dev/infra/bicepCli';
import { bicepUnderTest } from '../support/bicepUnderTest';
import { requiredSettingNames, settingNames } from '../../src/config';
import {
  azureMonitorAlertFunction,
  azureMonitorAlertRoute,
  onImagePushedFunction,
  onSecretExpiryFunction,
} from '../../src/functionNames';
import { customRoleActions, resourcesOfType, templatesIn } from '../support/armTemplate';
import type { ArmResource, ArmTemplate } from '../support/armTemplate';

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

/**
 * The ARM actions each call Shepherd makes on a target site needs (the `@azure/arm-appservice` and
 * `@azure/arm-resources` calls in src/azure), from Azure's resource provider operations list
 * (https://learn.microsoft.com/azure/role-based-access-control/permissions/web-and-mobile), kept
 * apart from infra/roles.bicep so that an action dropped there fails here.
 */
const siteCallActions: Record<string, string[]> = {
  'webApps.get, getSlot, listSlots': ['Microsoft.Web/sites/read', 'Microsoft.Web/sites/slots/read'],
  'getConfiguration(Slot)': ['Microsoft.Web/sites/config/read', 'Microsoft.Web/sites/slots/config/read'],
  'listAppSettingsKeyVaultReferences(Slot)': [
    'Microsoft.Web/sites/config/appsettings/read',
    'Microsoft.Web/sites/slots/config/appsettings/read',
  ],
  'the Key Vault references refresh (POST …/configreferences/appsettings/refresh)': [
    'Microsoft.Web/sites/config/appsettings/refresh/action',
    'Microsoft.Web/sites/slots/config/appsettings/refresh/action',
  ],
  'updateConfiguration(Slot), updateApplicationSettings(Slot)': [
    'Microsoft.Web/sites/config/write',
    'Microsoft.Web/sites/slots/config/write',
  ],
  'listApplicationSettings(Slot)': [
    'Microsoft.Web/sites/config/list/action',
    'Microsoft.Web/sites/slots/config/list/action',
  ],
  swapSlotWithProduction: ['Microsoft.Web/sites/slotsswap/action'],
  'start, stop, restart (and their Slot forms)': [
    'Microsoft.Web/sites/start/action',
    'Microsoft.Web/sites/stop/action',
    'Microsoft.Web/sites/restart/action',
    'Microsoft.Web/sites/slots/start/action',
    'Microsoft.Web/sites/slots/stop/action',
    'Microsoft.Web/sites/slots/restart/action',
  ],
  'tagsOperations.getAtScope, updateAtScope': [
    'Microsoft.Resources/tags/read',
    'Microsoft.Resources/tags/write',
  ],
};

/** Each event the Event Grid functions Azure must reach are sent. */
const eventsOf: Record<string, string[]> = {
  [onImagePushedFunction]: ['Microsoft.ContainerRegistry.ImagePushed'],
  [onSecretExpiryFunction]: ['Microsoft.KeyVault.SecretNearExpiry', 'Microsoft.KeyVault.SecretExpired'],
};

/** A resource's properties, looked up when the template gives them as one of its variables. */
function propertiesOf(template: ArmTemplate, resource: ArmResource): unknown {
  const given: unknown = resource.properties;
  const variable = typeof given === 'string' ? /^\[variables\('(\w+)'\)\]$/.exec(given)?.[1] : undefined;
  return variable === undefined ? given : template.variables?.[variable];
}

/**
 * The functions named as Event Grid endpoints, each with the JSON of the deployment that subscribes
 * it: a module of `template` that deploys an event subscription and is given `functionId`.
 */
function eventGridEndpoints(template: ArmTemplate): { name: string; deployment: string }[] {
  return Object.values(template.resources)
    .filter((r) => r.type === 'Microsoft.Resources/deployments')
    .flatMap((module: ArmResource) => {
      const nested = module.properties?.template as ArmTemplate;
      const subscriptions = templatesIn(nested).flatMap((t) =>
        Object.values(t.resources)
          .filter((r) => r.type === 'Microsoft.EventGrid/systemTopics/eventSubscriptions')
          .map((r) => propertiesOf(t, r)),
      );
      if (subscriptions.length === 0) return [];
      for (const properties of subscriptions) {
        const destination = (properties as { destination: { endpointType: string } }).destination;
        assert.equal(
          destination.endpointType,
          'AzureFunction',
          'delivered by resource id, with no key in a URL',
        );
      }
      const given = JSON.stringify(module.properties?.parameters);
      return [...given.matchAll(/\/functions\/(\w+)'/g)].map(([, name]) => ({
        name: name ?? '',
        deployment: JSON.stringify(module),
      }));
    });
}

const { bicep, noBicep } = bicepUnderTest();

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

  it('delivers each event Shepherd handles to its function through an Event Grid subscription', () => {
    const endpoints = eventGridEndpoints(template);
    for (const [name, events] of Object.entries(eventsOf)) {
      const subscribing = endpoints.filter((e) => e.name === name);
      assert.ok(subscribing.length > 0, `${name} is the endpoint of an event subscription`);
      for (const event of events)
        assert.ok(
          subscribing.some((e) => e.deployment.includes(event)),
          `${event} goes to ${name}`,
        );
    }
    assert.deepEqual(
      endpoints.map((e) => e.name).filter((name) => !(name in eventsOf)),
      [],
      'no subscription names a function that is not an Event Grid trigger',
    );
  });

  it('calls the Azure Monitor alert function from the action group, with its secret and the common alert schema', () => {
    const groups = resourcesOfType(template, 'Microsoft.Insights/actionGroups');
    assert.equal(groups.length, 1);
    const receivers = groups[0]?.properties?.webhookReceivers as {
      serviceUri: string;
      useCommonAlertSchema: boolean;
    }[];
    assert.equal(receivers.length, 1, `one webhook: ${azureMonitorAlertFunction}`);
    const receiver = receivers[0];
    assert.ok(receiver !== undefined);
    assert.ok(receiver.serviceUri.includes(`/api/${azureMonitorAlertRoute}?secret=`), receiver.serviceUri);
    assert.ok(
      receiver.serviceUri.includes("parameters('alertWebhookSecret')"),
      'the secret from the secure parameter',
    );
    assert.equal(receiver.useCommonAlertSchema, true);
  });

  it('sends every budget and metric alert to that action group', () => {
    const budgets = resourcesOfType(template, 'Microsoft.Consumption/budgets');
    assert.equal(budgets.length, 1);
    const notifications = Object.values(budgets[0]?.properties?.notifications as Record<string, unknown>);
    assert.ok(notifications.length > 0);
    for (const n of notifications)
      assert.match(JSON.stringify(n), /reference\('actionGroup'\)\.outputs\.id\.value/);
    const alertTemplates = templatesIn(template).filter((t) =>
      Object.values(t.resources).some((r) => r.type === 'Microsoft.Insights/metricAlerts'),
    );
    assert.equal(alertTemplates.length, 1, 'the target site module');
    const site = JSON.stringify(alertTemplates[0]);
    for (const metric of ['Http5xx', 'HttpResponseTime'])
      assert.ok(site.includes(`"metricName":"${metric}"`), metric);
    for (const a of resourcesOfType(template, 'Microsoft.Insights/metricAlerts'))
      assert.deepEqual(a.properties?.actions, [{ actionGroupId: "[parameters('actionGroupId')]" }]);
  });

  it('gives the custom site operator role every action Shepherd calls on a site, and no other', () => {
    assert.deepEqual(
      [...customRoleActions(template, 'Shepherd site operator')].sort(),
      Object.values(siteCallActions).flat().sort(),
    );
  });

  it('gives the operation tracker role only the reads of App Service operation progress, at each target subscription', () => {
    assert.deepEqual([...customRoleActions(template, 'Shepherd operation tracker')].sort(), [
      'Microsoft.Web/locations/operationResults/read',
      'Microsoft.Web/locations/operations/read',
    ]);
    const tracking = templatesIn(template).filter((t) =>
      JSON.stringify(t.parameters ?? {}).includes('operationTrackerRoleId'),
    );
    assert.equal(tracking.length, 1, 'one module assigns it');
    assert.match(
      tracking[0]?.$schema ?? '',
      /subscriptionDeploymentTemplate/,
      'assigned at the subscription, where App Service reports the progress',
    );
  });

  it("lets a backup or restore run for an hour on Elastic Premium, past host.json's 10 minutes", () => {
    const timeout = appSettings.find((s) => s.name === 'AzureFunctionsJobHost__functionTimeout')?.value;
    assert.equal(timeout, '01:00:00');
  });

  it("opens each target database's firewall to every address the function app may call out from", () => {
    const databases = templatesIn(template).filter((t) =>
      Object.values(t.resources).some(
        (r) => r.type === 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules',
      ),
    );
    assert.equal(databases.length, 1, 'the target database module');
    const module = Object.values(template.resources).find((r) =>
      JSON.stringify(r.properties?.template ?? {}).includes('flexibleServers/firewallRules'),
    );
    assert.match(
      JSON.stringify(module?.properties?.parameters),
      /functionApp'\)\.outputs\.possibleOutboundIpAddresses\.value/,
    );
  });

  it('subscribes to a system topic a registry or vault already has, instead of making a second one Azure refuses', () => {
    const subscribing = templatesIn(template).filter((t) =>
      Object.values(t.resources).some(
        (r) => r.type === 'Microsoft.EventGrid/systemTopics/eventSubscriptions',
      ),
    );
    assert.equal(
      subscribing.length,
      2,
      'the event subscription module, in the registry and the vault modules',
    );
    for (const module of subscribing) {
      const resources = Object.values(module.resources) as (ArmResource & { condition?: string })[];
      const created = resources.find(
        (r) => r.type === 'Microsoft.EventGrid/systemTopics' && r.existing !== true,
      );
      assert.equal(created?.condition, "[empty(parameters('existingTopicName'))]");
      const deliveries = resources.filter(
        (r) => r.type === 'Microsoft.EventGrid/systemTopics/eventSubscriptions',
      );
      assert.equal(deliveries.length, 2, 'one under a topic of its own, one under the topic already there');
    }
  });

  it("keeps the budgets' start date across deployments: azd fixes it once, the template never moves it itself", () => {
    const parameters = JSON.parse(readFileSync(join(repoRoot, 'infra', 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: unknown }>;
    };
    assert.equal(parameters.parameters.budgetStartDate?.value, '${SHEPHERD_BUDGET_START_DATE}');
    const azureYaml = readFileSync(join(repoRoot, 'azure.yaml'), 'utf8');
    assert.match(
      azureYaml,
      /preprovision:[\s\S]*azd env get-value SHEPHERD_BUDGET_START_DATE[^\n]*\|\| azd env set SHEPHERD_BUDGET_START_DATE/,
    );
    const budgets = resourcesOfType(template, 'Microsoft.Consumption/budgets');
    assert.match(
      JSON.stringify(budgets[0]?.properties?.timePeriod),
      /if\(empty\(parameters\('budgetStartDate'\)\), parameters\('thisMonth'\), parameters\('budgetStartDate'\)\)/,
    );
  });

  it('names each role id in infra/roles.bicep with that role in its comment', () => {
    const source = readFileSync(join(repoRoot, 'infra', 'roles.bicep'), 'utf8');
    const lines = [...source.matchAll(/'([0-9a-f-]{36})' \/\/ (.+)$/gm)];
    assert.equal(lines.length, Object.keys(builtInRoleNames).length);
    for (const [, id, comment] of lines) assert.equal(comment, builtInRoleNames[id ?? ''], id);
  });
});
