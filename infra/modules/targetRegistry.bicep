// One target registry, in its own resource group: AcrPull (Shepherd reads manifests and tags to
// decide what to release and what to clean up) and AcrDelete (cleanup), on the registry alone.

import { builtInRoles } from '../roles.bicep'

@description('The registry\'s name in this resource group.')
param registryName string
@description('Principal id of Shepherd\'s identity.')
param principalId string

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

var registryRoles = [builtInRoles.acrPull, builtInRoles.acrDelete]

resource access 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in registryRoles: {
    name: guid(registry.id, principalId, role)
    scope: registry
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]
