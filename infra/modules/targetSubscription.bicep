// One subscription holding target sites: Shepherd's operation tracker role, which reads the
// progress of long-running App Service operations (a swap) that App Service reports at the
// subscription's location rather than under the site.

targetScope = 'subscription'

@description('Principal id of Shepherd\'s identity.')
param principalId string
@description('The custom operation tracker role\'s definition id (a GUID), assignable in this subscription.')
param operationTrackerRoleId string

resource track 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, operationTrackerRoleId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', operationTrackerRoleId)
  }
}
