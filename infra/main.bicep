// Shepherd in Azure: `azd up` (or `az deployment sub create`) provisions one resource group holding
// Shepherd's function app and everything it needs. Resources are the project's own Bicep, no
// registry modules; see the README's "Deploy to Azure".
targetScope = 'subscription'

import { operationTrackerActions, siteOperatorActions } from 'roles.bicep'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment; names the resource group and every resource.')
param environmentName string

@minLength(1)
@description('Region for every resource.')
param location string

@description('Durable Functions task hub (SHEPHERD_TASK_HUB): 3 to 45 letters and digits, starting with a letter.')
param taskHub string = 'Shepherd'

@description('The PostgreSQL client major the image installs; pg_dump must be at least the servers\' major.')
@allowed([14, 15, 16, 17])
param postgresClientMajor int = 17

@description('Shepherd\'s image in its registry, name:tag; azd sets it on deploy.')
param imageName string = 'shepherd:latest'

@description('The container backups are kept in (SHEPHERD_BACKUP_CONTAINER).')
param backupContainerName string = 'shepherd-backups'

@description('Environments whose releases start frozen (SHEPHERD_FROZEN_ENVIRONMENTS), comma-separated.')
param frozenEnvironments string = ''

@secure()
@minLength(16)
@description('The secret ACR webhooks send (SHEPHERD_ACR_WEBHOOK_SECRET).')
param acrWebhookSecret string

@secure()
@minLength(16)
@description('The secret in the action group\'s webhook URL (SHEPHERD_ALERT_WEBHOOK_SECRET).')
param alertWebhookSecret string

@description('A site Shepherd releases to, with what it needs around it.')
type target = {
  @description('The target\'s name, as in targets.json.')
  name: string
  @description('Its environment, as in targets.json: budgets are per environment.')
  environment: string
  @description('The App Service site, as targets.json names it.')
  site: { subscriptionId: string, resourceGroup: string, name: string }
  @description('Resource id of the registry its images are pushed to.')
  registryId: string
  @description('Resource ids of Key Vaults holding secrets Shepherd rotates (Key Vault Secrets Officer).')
  rotatedVaultIds: string[]?
  @description('Resource ids of Key Vaults Shepherd only reads (Key Vault Secrets User).')
  readVaultIds: string[]?
  @description('Resource ids of its Azure Database for PostgreSQL flexible servers: their firewalls let Shepherd in (public access servers; a server in a virtual network needs the app in that network instead).')
  databaseServerIds: string[]?
  @description('Monthly budget, in the billing currency, this target adds to its environment\'s budget.')
  budgetAmount: int?
  @description('The site\'s 5xx alert fires above this many in five minutes (default 10).')
  max5xxCount: int?
  @description('The site\'s response time alert fires above this average in seconds (default 1, the canary gate\'s).')
  maxResponseSeconds: int?
}

@description('The targets Shepherd looks after; roles are given on their sites, registries and vaults.')
param targets target[] = []

@description('Whether Shepherd\'s functions are deployed (azd sets it after the first deploy): Event Grid refuses a subscription to a function that does not exist yet.')
param functionsDeployed bool = false

@description('System topics the target registries and vaults already have, by the resource\'s id (any case): the topic\'s name in the resource\'s group. Azure allows one system topic per resource; Shepherd subscribes to the one there.')
param existingSystemTopics object = {}

@description('First day of the budgets\' period (yyyy-MM-01); Azure starts budgets on the first of a month. azd fixes it once (SHEPHERD_BUDGET_START_DATE) so that a redeploy keeps the budgets\' own; empty: this month.')
param budgetStartDate string = ''

@description('This month\'s first day, when budgetStartDate is empty; leave it to its default.')
param thisMonth string = utcNow('yyyy-MM-01')


var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
// Shepherd's state tables, named as src/azure/stateTable.ts names them: the task hub, then the purpose.
var stateTableNames = ['${taskHub}Audit', '${taskHub}Freezes']

// ARM ids compare without case; each registry, vault and site resource group is handled once however
// many targets share it (union drops duplicates). A vault both rotated and read gets the larger role.
var registryIds = union(map(targets, t => toLower(t.registryId)), [])
var rotatedVaultIds = union(flatten(map(targets, t => map(t.?rotatedVaultIds ?? [], id => toLower(id)))), [])
var readVaultIds = filter(
  union(flatten(map(targets, t => map(t.?readVaultIds ?? [], id => toLower(id)))), []),
  id => !contains(rotatedVaultIds, id)
)
var databaseServerIds = union(flatten(map(targets, t => map(t.?databaseServerIds ?? [], id => toLower(id)))), [])
var siteSubscriptionIds = union(map(targets, t => toLower(t.site.subscriptionId)), [])
var siteGroupIds = union(
  map(targets, t => toLower('/subscriptions/${t.site.subscriptionId}/resourceGroups/${t.site.resourceGroup}')),
  []
)
// A budget per environment, over its targets' resource groups in this subscription, for the sum of
// their amounts; named shepherd-<environment>, as targets.json's budgets can name it.
var budgetedEnvironments = filter(
  map(union(map(targets, t => t.environment), []), environment => {
    environment: environment
    amount: reduce(
      map(filter(targets, t => t.environment == environment), t => t.?budgetAmount ?? 0),
      0,
      (sum, amount) => sum + amount
    )
    resourceGroups: union(
      map(
        filter(targets, t => t.environment == environment && t.site.subscriptionId == subscription().subscriptionId),
        t => t.site.resourceGroup
      ),
      []
    )
  }),
  b => b.amount > 0 && !empty(b.resourceGroups)
)
@description('The system topic `topics` names for the resource `id` (ids compare without case), or empty.')
func systemTopicOf(topics object, id string) string =>
  reduce(filter(items(topics), t => toLower(t.key) == id), '', (found, t) => string(t.value))

@description('A budget notification to the action group at a percent of actual or forecast spending.')
func budgetNotice(percent int, kind string, actionGroupId string) object => {
  enabled: true
  operator: 'GreaterThanOrEqualTo'
  threshold: percent
  thresholdType: kind
  contactEmails: []
  contactGroups: [actionGroupId]
}
var siteOperatorRoleId = guid(subscription().id, environmentName, 'shepherd-site-operator')
var operationTrackerRoleId = guid(subscription().id, environmentName, 'shepherd-operation-tracker')

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  params: { name: 'id-shepherd-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: {
    logAnalyticsName: 'log-shepherd-${token}'
    appInsightsName: 'appi-shepherd-${token}'
    location: location
    tags: tags
  }
}

module hostStorage 'modules/hostStorage.bicep' = {
  scope: group
  params: {
    name: 'sthost${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module dataStorage 'modules/dataStorage.bicep' = {
  scope: group
  params: {
    name: 'stdata${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    backupContainerName: backupContainerName
    stateTableNames: stateTableNames
  }
}

module registry 'modules/registry.bicep' = {
  scope: group
  params: {
    name: 'crshepherd${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module vault 'modules/vault.bicep' = {
  scope: group
  params: {
    name: 'kv-shep-${take(token, 13)}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    acrWebhookSecret: acrWebhookSecret
    alertWebhookSecret: alertWebhookSecret
  }
}

module functionApp 'modules/functionApp.bicep' = {
  scope: group
  params: {
    planName: 'plan-shepherd-${token}'
    siteName: 'func-shepherd-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    registryLoginServer: registry.outputs.loginServer
    imageName: imageName
    hostStorageName: hostStorage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    workspaceId: monitoring.outputs.workspaceId
    taskHub: taskHub
    backupBlobEndpoint: dataStorage.outputs.blobEndpoint
    backupContainerName: backupContainerName
    stateTableEndpoint: dataStorage.outputs.tableEndpoint
    acrWebhookSecretUri: vault.outputs.acrWebhookSecretUri
    alertWebhookSecretUri: vault.outputs.alertWebhookSecretUri
    postgresClientMajor: postgresClientMajor
    frozenEnvironments: frozenEnvironments
  }
}

module actionGroup 'modules/actionGroup.bicep' = {
  scope: group
  params: {
    name: 'ag-shepherd-${token}'
    tags: tags
    functionHostName: functionApp.outputs.defaultHostName
    alertWebhookSecret: alertWebhookSecret
  }
}

resource budgets 'Microsoft.Consumption/budgets@2024-08-01' = [
  for b in budgetedEnvironments: {
    name: 'shepherd-${b.environment}'
    properties: {
      category: 'Cost'
      amount: b.amount
      timeGrain: 'Monthly'
      timePeriod: { startDate: empty(budgetStartDate) ? thisMonth : budgetStartDate }
      filter: { dimensions: { name: 'ResourceGroupName', operator: 'In', values: b.resourceGroups } }
      // The thresholds Shepherd's budget policy acts on by default (src/config.ts): told at 50 % and
      // 80 %, warned of a forecast overrun, frozen at 100 % spent.
      notifications: {
        actual50: budgetNotice(50, 'Actual', actionGroup.outputs.id)
        actual80: budgetNotice(80, 'Actual', actionGroup.outputs.id)
        forecasted100: budgetNotice(100, 'Forecasted', actionGroup.outputs.id)
        actual100: budgetNotice(100, 'Actual', actionGroup.outputs.id)
      }
    }
  }
]

// Custom roles are assignable in resource groups, not at a single resource; it is assigned per site.
resource siteOperator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (!empty(targets)) {
  name: siteOperatorRoleId
  properties: {
    roleName: 'Shepherd site operator (${environmentName})'
    description: 'What Shepherd does to a site it releases to: slots, config, swap, traffic routing, start and stop, tags.'
    type: 'CustomRole'
    permissions: [{ actions: siteOperatorActions, notActions: [] }]
    assignableScopes: siteGroupIds
  }
}

// Reading a swap's progress, which App Service reports at the subscription (see roles.bicep).
resource operationTracker 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (!empty(targets)) {
  name: operationTrackerRoleId
  properties: {
    roleName: 'Shepherd operation tracker (${environmentName})'
    description: 'Reads the progress of App Service operations Shepherd started (a slot swap), reported at the subscription\'s location.'
    type: 'CustomRole'
    permissions: [{ actions: operationTrackerActions, notActions: [] }]
    assignableScopes: map(siteSubscriptionIds, id => '/subscriptions/${id}')
  }
}

module targetSubscriptions 'modules/targetSubscription.bicep' = [
  for id in siteSubscriptionIds: {
    scope: subscription(id)
    params: {
      principalId: identity.outputs.principalId
      operationTrackerRoleId: operationTrackerRoleId
    }
    dependsOn: [operationTracker]
  }
]

module targetSites 'modules/targetSite.bicep' = [
  for t in targets: {
    scope: resourceGroup(t.site.subscriptionId, t.site.resourceGroup)
    params: {
      siteName: t.site.name
      principalId: identity.outputs.principalId
      siteOperatorRoleId: siteOperatorRoleId
      tags: tags
      actionGroupId: actionGroup.outputs.id
      max5xxCount: t.?max5xxCount ?? 10
      maxResponseSeconds: t.?maxResponseSeconds ?? 1
    }
    dependsOn: [siteOperator]
  }
]

module targetRegistries 'modules/targetRegistry.bicep' = [
  for id in registryIds: {
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: {
      registryName: last(split(id, '/'))
      principalId: identity.outputs.principalId
      functionId: '${functionApp.outputs.id}/functions/onImagePushed'
      functionsDeployed: functionsDeployed
      existingTopicName: systemTopicOf(existingSystemTopics, id)
    }
  }
]

module targetVaults 'modules/targetVault.bicep' = [
  for id in concat(rotatedVaultIds, readVaultIds): {
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: {
      vaultName: last(split(id, '/'))
      principalId: identity.outputs.principalId
      rotated: contains(rotatedVaultIds, id)
      functionId: '${functionApp.outputs.id}/functions/onSecretExpiry'
      functionsDeployed: functionsDeployed
      existingTopicName: systemTopicOf(existingSystemTopics, id)
    }
  }
]

module targetDatabases 'modules/targetDatabase.bicep' = [
  for id in databaseServerIds: {
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: {
      serverName: last(split(id, '/'))
      outboundIpAddresses: functionApp.outputs.possibleOutboundIpAddresses
    }
  }
]

// What azd needs to push and deploy Shepherd's image.
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output SHEPHERD_FUNCTION_APP_NAME string = functionApp.outputs.name
output SHEPHERD_URL string = 'https://${functionApp.outputs.defaultHostName}'
