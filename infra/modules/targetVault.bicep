// One Key Vault holding targets' secrets, in its own resource group: Key Vault Secrets Officer when
// Shepherd rotates secrets in it, Key Vault Secrets User when it only reads them; on the vault alone.

import { builtInRoles } from '../roles.bicep'

@description('The vault\'s name in this resource group.')
param vaultName string
@description('Principal id of Shepherd\'s identity.')
param principalId string
@description('Whether Shepherd rotates secrets in this vault (writes new versions) or only reads it.')
param rotated bool
@description('Resource id of the onSecretExpiry function: the Event Grid subscription\'s endpoint.')
param functionId string
@description('Whether Shepherd\'s functions are deployed yet: Event Grid refuses a subscription to a function that is not.')
param functionsDeployed bool
@description('The name of a system topic the vault already has (in its resource group); empty to create one.')
param existingTopicName string = ''

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: vaultName
}

var role = rotated ? builtInRoles.keyVaultSecretsOfficer : builtInRoles.keyVaultSecretsUser

resource access 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, role)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}

// onSecretExpiry decides what a secret near expiry or expired calls for.
module events 'eventSubscription.bicep' = {
  params: {
    sourceId: vault.id
    location: vault.location
    topicType: 'Microsoft.KeyVault.vaults'
    topicName: 'shepherd-${vault.name}'
    subscriptionName: 'shepherd-secret-expiry'
    functionId: functionId
    eventTypes: ['Microsoft.KeyVault.SecretNearExpiry', 'Microsoft.KeyVault.SecretExpired']
    functionsDeployed: functionsDeployed
    existingTopicName: existingTopicName
  }
}
