// One target site, in its own resource group: Shepherd's custom site operator role and Monitoring
// Reader, both on the site alone (its slots are its children, so they are covered too).

import { builtInRoles } from '../roles.bicep'

@description('The site\'s name in this resource group.')
param siteName string
@description('Principal id of Shepherd\'s identity.')
param principalId string
@description('The custom site operator role\'s definition id (a GUID), assignable in this resource group.')
param siteOperatorRoleId string
param tags object
@description('The action group the alerts notify: Shepherd\'s Azure Monitor alert function.')
param actionGroupId string
@description('More 5xx answers than this in five minutes fires the alert.')
param max5xxCount int
@description('An average response time above this many seconds over five minutes fires the alert.')
param maxResponseSeconds int

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: siteName
}

// Shepherd's own custom role: the actions listed in roles.bicep's siteOperatorActions.
resource operate 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(site.id, principalId, siteOperatorRoleId)
  scope: site
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', siteOperatorRoleId)
  }
}

// An alert on the site freezes its releases and rolls back a running one (see the README's alerts).
var alertRules = [
  {
    name: 'http5xx'
    metricName: 'Http5xx'
    timeAggregation: 'Total'
    threshold: max5xxCount
    description: 'More than ${max5xxCount} server errors in five minutes'
  }
  {
    name: 'response-time'
    metricName: 'HttpResponseTime'
    timeAggregation: 'Average'
    threshold: maxResponseSeconds
    description: 'Average response time above ${maxResponseSeconds} s over five minutes'
  }
]

resource alerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [
  for rule in alertRules: {
    name: 'shepherd-${siteName}-${rule.name}'
    location: 'global'
    tags: tags
    properties: {
      description: '${rule.description} on ${siteName} (Shepherd)'
      severity: 1
      enabled: true
      scopes: [site.id]
      evaluationFrequency: 'PT1M'
      windowSize: 'PT5M'
      autoMitigate: true
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: rule.name
            metricNamespace: 'Microsoft.Web/sites'
            metricName: rule.metricName
            operator: 'GreaterThan'
            threshold: rule.threshold
            timeAggregation: rule.timeAggregation
          }
        ]
      }
      actions: [{ actionGroupId: actionGroupId }]
    }
  }
]

// Canary and bake windows are judged on the site's and its slot's metrics.
resource readMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(site.id, principalId, builtInRoles.monitoringReader)
  scope: site
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.monitoringReader)
  }
}
