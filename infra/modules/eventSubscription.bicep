// An Event Grid system topic on one resource (a target registry or Key Vault) and its subscription
// delivering the chosen events to one of Shepherd's Event Grid functions.

@description('Resource id of the resource whose events are delivered.')
param sourceId string
@description('Its region: a system topic lives beside its source.')
param location string
@description('The system topic type, e.g. Microsoft.ContainerRegistry.Registries.')
param topicType string
param topicName string
param subscriptionName string
@description('Resource id of the function the events go to: <function app id>/functions/<name>.')
param functionId string
param eventTypes string[]
@description('Whether Shepherd\'s functions are deployed yet: Event Grid refuses a subscription to a function that is not.')
param functionsDeployed bool

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: topicName
  location: location
  properties: {
    source: sourceId
    topicType: topicType
  }
}

resource delivery 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (functionsDeployed) {
  parent: topic
  name: subscriptionName
  properties: {
    destination: {
      // Named by resource id, the function needs no key in a URL: Event Grid fetches what it needs itself.
      endpointType: 'AzureFunction'
      properties: { resourceId: functionId, maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 }
    }
    filter: { includedEventTypes: eventTypes }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
  }
}
