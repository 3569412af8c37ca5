// One target site, in its own resource group: Shepherd's custom site operator role and Monitoring
// Reader, both on the site alone (its slots are its children, so they are covered too).

import { builtInRoles } from '../roles.bicep'

@description('The site\'s name in this resource group.')
param siteName string
@description('Principal id of Shepherd\'s identity.')
param principalId string
@description('The custom site operator role\'s definition id (a GUID), assignable in this resource group.')
param siteOperatorRoleId string

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: siteName
}

// Shepherd's own custom role: the actions listed in roles.bicep's siteOperatorActions.
resource operate 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(site.id, principalId, siteOperatorRoleId)
  scope: site
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', siteOperatorRoleId)
  }
}

// Canary and bake windows are judged on the site's and its slot's metrics.
resource readMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(site.id, principalId, builtInRoles.monitoringReader)
  scope: site
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.monitoringReader)
  }
}
