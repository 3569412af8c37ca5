// Shepherd's own Key Vault: the two webhook secrets, read by the function app through Key Vault
// references with its identity (Key Vault Secrets User on this vault only).

import { builtInRoles } from '../roles.bicep'

param name string
param location string
param tags object
param principalId string
@secure()
@description('SHEPHERD_ACR_WEBHOOK_SECRET: at least 16 characters.')
param acrWebhookSecret string
@secure()
@description('SHEPHERD_ALERT_WEBHOOK_SECRET: at least 16 characters.')
param alertWebhookSecret string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource acrSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'shepherd-acr-webhook-secret'
  properties: { value: acrWebhookSecret }
}

resource alertSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'shepherd-alert-webhook-secret'
  properties: { value: alertWebhookSecret }
}

resource read 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, builtInRoles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      builtInRoles.keyVaultSecretsUser
    )
  }
}

// Secret URIs without a version, so a rotated secret is picked up (not secret values themselves).
output acrWebhookSecretUri string = acrSecret.properties.secretUri
output alertWebhookSecretUri string = alertSecret.properties.secretUri
