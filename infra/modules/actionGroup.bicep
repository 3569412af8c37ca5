// The action group every metric alert and budget notifies: one webhook to Shepherd's Azure Monitor
// alert function, in the common alert schema, authenticated by the secret in its URL.

param name string
param tags object
@description('Shepherd\'s host name, where the alert function listens.')
param functionHostName string
@secure()
@description('SHEPHERD_ALERT_WEBHOOK_SECRET. Passed in: a Key Vault secret\'s value cannot be read back by the template.')
param alertWebhookSecret string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'shepherd'
    enabled: true
    webhookReceivers: [
      {
        name: 'shepherd-azure-monitor-alert'
        serviceUri: 'https://${functionHostName}/api/hooks/azure-monitor?secret=${uriComponent(alertWebhookSecret)}'
        useCommonAlertSchema: true
      }
    ]
  }
}

output id string = actionGroup.id
