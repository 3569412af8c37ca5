// Built-in Azure role definition ids Shepherd's identity is given, each beside the role's name.
// Source: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
// test/infra/template.test.ts checks every id here against its own table of names.

@export()
@description('Built-in role definition ids by purpose.')
var builtInRoles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d' // AcrPull
  acrDelete: 'c2f4ef07-c644-48eb-af81-4b1b4947fb11' // AcrDelete
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // Key Vault Secrets Officer
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05' // Monitoring Reader
  websiteContributor: 'de139f84-1756-47ae-9be6-808fbbe84772' // Website Contributor
}

// The custom role Shepherd's identity holds on each target site: only the operations Shepherd calls
// (src/azure/slotDeployment.ts, slotSwap.ts, trafficRouter.ts, sitePower.ts, resourceTags.ts,
// keyVaultReferences.ts), not Website Contributor's whole site. `npm test` checks it against every
// ARM operation the sandbox saw Shepherd call (test/infra/roleCoverage.check.ts). Assigned at the site, so it reaches
// that site and its slots and nothing else in the resource group.
@export()
@description('The actions of the custom site operator role, each with what Shepherd does with it.')
var siteOperatorActions = [
  'Microsoft.Web/sites/read' // the site, its state and default host name
  'Microsoft.Web/sites/config/read' // site config: the image, routing rules, Key Vault references
  'Microsoft.Web/sites/config/write' // the image, and traffic routing (experiments.rampUpRules)
  'Microsoft.Web/sites/config/list/action' // app settings, read before a rotation rewrites them
  'Microsoft.Web/sites/config/appsettings/read' // the state of each Key Vault reference
  // Key Vault references fetched again after a rotation (POST …/config/configreferences/appsettings/refresh;
  // Azure's operations list does not name it: this is the action ARM derives from that path).
  'Microsoft.Web/sites/config/appsettings/refresh/action'
  'Microsoft.Web/sites/slots/read' // the slots and their states
  'Microsoft.Web/sites/slots/config/read' // a slot's image and settings
  'Microsoft.Web/sites/slots/config/write' // deploying a new image to the slot
  'Microsoft.Web/sites/slots/config/list/action' // a slot's app settings
  'Microsoft.Web/sites/slots/config/appsettings/read'
  'Microsoft.Web/sites/slots/config/appsettings/refresh/action'
  'Microsoft.Web/sites/slotsswap/action' // swapping the slot into production
  'Microsoft.Web/sites/start/action' // starting production again after a budget stop
  'Microsoft.Web/sites/stop/action' // a budget's critical threshold stops non-production apps
  'Microsoft.Web/sites/restart/action' // restarting after a settings change
  'Microsoft.Web/sites/slots/start/action'
  'Microsoft.Web/sites/slots/stop/action'
  'Microsoft.Web/sites/slots/restart/action'
  'Microsoft.Resources/tags/read' // the known-good image tags on the site
  'Microsoft.Resources/tags/write'
]

// App Service reports a swap's progress at the subscription's location
// (/subscriptions/{id}/providers/Microsoft.Web/locations/{region}/operationResults/{operation}), not
// under the site, so a role on the site cannot follow it: ARM answers 403 AuthorizationFailed for
// 'Microsoft.Web/locations/operationResults/read' over that scope. This second custom role holds only
// those reads and is assigned at each target site's subscription. The sandbox records these calls.
@export()
@description('The actions of the custom operation tracker role: reading the progress of a swap.')
var operationTrackerActions = [
  'Microsoft.Web/locations/operationResults/read' // the swap's result, polled until it settles
  'Microsoft.Web/locations/operations/read' // the swap's status (Azure-AsyncOperation)
]
