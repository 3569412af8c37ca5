// One target registry, in its own resource group: AcrPull (Shepherd reads manifests and tags to
// decide what to release and what to clean up) and AcrDelete (cleanup), on the registry alone.

import { builtInRoles } from '../roles.bicep'

@description('The registry\'s name in this resource group.')
param registryName string
@description('Principal id of Shepherd\'s identity.')
param principalId string
@description('Resource id of the onImagePushed function: the Event Grid subscription\'s endpoint.')
param functionId string
@description('Whether Shepherd\'s functions are deployed yet: Event Grid refuses a subscription to a function that is not.')
param functionsDeployed bool
@description('The name of a system topic the registry already has (in its resource group); empty to create one.')
param existingTopicName string = ''

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

// Pushes reach Shepherd through Event Grid only (no ACR webhook as well): one delivery path, so one
// release per push, and nothing shared to keep secret (the AzureFunction endpoint is named by resource id, not by a keyed URL).
module events 'eventSubscription.bicep' = {
  params: {
    sourceId: registry.id
    location: registry.location
    topicType: 'Microsoft.ContainerRegistry.Registries'
    topicName: 'shepherd-${registry.name}'
    subscriptionName: 'shepherd-image-pushed'
    functionId: functionId
    eventTypes: ['Microsoft.ContainerRegistry.ImagePushed']
    functionsDeployed: functionsDeployed
    existingTopicName: existingTopicName
  }
}
