// The registry holding Shepherd's own image; the function app pulls it by identity (AcrPull), so
// the admin user stays off.

import { builtInRoles } from '../roles.bicep'

param name string
param location string
param tags object
param principalId string

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
  }
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, principalId, builtInRoles.acrPull)
  scope: registry
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.acrPull)
  }
}

output loginServer string = registry.properties.loginServer
output name string = registry.name
