// An Event Grid system topic on one resource (a target registry or Key Vault) and its subscription
// delivering the chosen events to one of Shepherd's Event Grid functions. A resource may have one
// system topic only: when it already has one (made by another team or by Defender), the
// subscription is added to that topic instead of creating a second, which Azure would refuse.

@description('Resource id of the resource whose events are delivered.')
param sourceId string
@description('Its region: a system topic lives beside its source.')
param location string
@description('The system topic type, e.g. Microsoft.ContainerRegistry.Registries.')
param topicType string
param topicName string
@description('The name of a system topic the resource already has, in this resource group; empty to create one.')
param existingTopicName string = ''
param subscriptionName string
@description('Resource id of the function the events go to: <function app id>/functions/<name>.')
param functionId string
param eventTypes string[]
@description('Whether Shepherd\'s functions are deployed yet: Event Grid refuses a subscription to a function that is not.')
param functionsDeployed bool

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = if (empty(existingTopicName)) {
  name: topicName
  location: location
  properties: {
    source: sourceId
    topicType: topicType
  }
}

resource sharedTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = if (!empty(existingTopicName)) {
  name: existingTopicName
}

var delivery = {
  destination: {
    // Named by resource id, the function needs no key in a URL: Event Grid fetches what it needs itself.
    endpointType: 'AzureFunction'
    properties: { resourceId: functionId, maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 }
  }
  filter: { includedEventTypes: eventTypes }
  eventDeliverySchema: 'EventGridSchema'
  retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
}

resource ownDelivery 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (functionsDeployed && empty(existingTopicName)) {
  parent: topic
  name: subscriptionName
  properties: delivery
}

resource sharedDelivery 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (functionsDeployed && !empty(existingTopicName)) {
  parent: sharedTopic
  name: subscriptionName
  properties: delivery
}
