// The user-assigned managed identity Shepherd runs as: it pulls Shepherd's image, reads its secrets,
// signs in to storage, and holds every role on the targets it looks after.

@description('Name of the identity.')
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
