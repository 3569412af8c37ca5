// The function app: a Linux custom container (the image carries pg_dump) on an Elastic Premium
// plan, running as the user-assigned identity, with every setting src/config.ts reads.

param planName string
param siteName string
param location string
param tags object
@description('Resource id of the user-assigned identity.')
param identityId string
@description('Client id of the same identity: for AzureWebJobsStorage__clientId and DefaultAzureCredential.')
param identityClientId string
param registryLoginServer string
@description('Image name and tag in that registry; azd replaces it on deploy.')
param imageName string
param hostStorageName string
param appInsightsName string
param workspaceId string
param taskHub string
param backupBlobEndpoint string
param backupContainerName string
param stateTableEndpoint string
param acrWebhookSecretUri string
param alertWebhookSecretUri string
@description('The PostgreSQL client major version installed in the image (see Dockerfile).')
param postgresClientMajor int
param frozenEnvironments string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Elastic Premium: containers, durable functions, no execution time limit for long backups, and
// one always-ready instance so a push is answered without a cold start.
resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'elastic'
  sku: { name: 'EP1', tier: 'ElasticPremium' }
  properties: {
    reserved: true
    maximumElasticWorkerCount: 3
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: siteName
  location: location
  tags: union(tags, { 'azd-service-name': 'shepherd' })
  kind: 'functionapp,linux,container'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'DOCKER|${registryLoginServer}/${imageName}'
      acrUseManagedIdentityCreds: true
      acrUserManagedIdentityID: identityClientId
      minimumElasticInstanceCount: 1
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'node' }
        // The image holds the app; no content share (which would need a storage key).
        { name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE', value: 'false' }
        { name: 'AzureWebJobsStorage__accountName', value: hostStorageName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        // DefaultAzureCredential picks the user-assigned identity by this client id.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        // A backup or restore is one activity: on Elastic Premium it may run for the hour the plan
        // guarantees an execution, instead of host.json's 10 minutes (Consumption's limit).
        { name: 'AzureFunctionsJobHost__functionTimeout', value: '01:00:00' }
        { name: 'SHEPHERD_TASK_HUB', value: taskHub }
        { name: 'SHEPHERD_ACR_WEBHOOK_SECRET', value: '@Microsoft.KeyVault(SecretUri=${acrWebhookSecretUri})' }
        { name: 'SHEPHERD_ALERT_WEBHOOK_SECRET', value: '@Microsoft.KeyVault(SecretUri=${alertWebhookSecretUri})' }
        { name: 'SHEPHERD_STATE_STORAGE', value: stateTableEndpoint }
        { name: 'SHEPHERD_BACKUP_STORAGE', value: backupBlobEndpoint }
        { name: 'SHEPHERD_BACKUP_CONTAINER', value: backupContainerName }
        { name: 'SHEPHERD_PG_BIN_DIR', value: '/usr/lib/postgresql/${postgresClientMajor}/bin' }
        { name: 'SHEPHERD_FROZEN_ENVIRONMENTS', value: frozenEnvironments }
      ]
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'FunctionAppLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
@description('Every address the app may call out from, comma-separated: what a database firewall must allow.')
output possibleOutboundIpAddresses string = site.properties.possibleOutboundIpAddresses
