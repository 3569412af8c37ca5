// The Functions host's own storage: its locks, timers and the durable task hub's queues, tables and
// blobs. Reached by identity (AzureWebJobsStorage__*), so shared keys are turned off.

import { builtInRoles } from '../roles.bicep'

param name string
param location string
param tags object
@description('Principal id of the identity the function app runs as.')
param principalId string

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

// The host and the durable extension use all three services of this account, as the Functions docs
// list for identity-based AzureWebJobsStorage with Durable Functions.
var hostRoles = [
  builtInRoles.storageBlobDataOwner
  builtInRoles.storageQueueDataContributor
  builtInRoles.storageTableDataContributor
]

resource hostAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in hostRoles: {
    name: guid(account.id, principalId, role)
    scope: account
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

output name string = account.name
