// What Shepherd keeps for itself, apart from the host's storage: database backups in one container
// and the state tables (audit trail, freezes). Each role is scoped to the one container or table.

import { builtInRoles } from '../roles.bicep'

param name string
param location string
param tags object
param principalId string
@description('The container backups are kept in (SHEPHERD_BACKUP_CONTAINER).')
param backupContainerName string
@description('Shepherd\'s state tables: the task hub\'s name followed by Audit and Freezes.')
param stateTableNames string[]

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    // A backup deleted by mistake (or by a bad cleanup) can still be brought back for two weeks.
    deleteRetentionPolicy: { enabled: true, days: 14 }
    containerDeleteRetentionPolicy: { enabled: true, days: 14 }
  }
}

resource backupContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobs
  name: backupContainerName
  properties: { publicAccess: 'None' }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource stateTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for tableName in stateTableNames: {
    parent: tableService
    name: tableName
  }
]

resource backupAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(backupContainer.id, principalId, builtInRoles.storageBlobDataContributor)
  scope: backupContainer
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      builtInRoles.storageBlobDataContributor
    )
  }
}

resource stateAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (tableName, i) in stateTableNames: {
    name: guid(stateTables[i].id, principalId, builtInRoles.storageTableDataContributor)
    scope: stateTables[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        builtInRoles.storageTableDataContributor
      )
    }
  }
]

output blobEndpoint string = account.properties.primaryEndpoints.blob
output tableEndpoint string = account.properties.primaryEndpoints.table
