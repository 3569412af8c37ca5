import type { SandboxSite } from './site';
import { productionSlot } from './model';

export interface SwapRecord {
  timestampUtc: string;
  sourceSlotName: string;
  destinationSlotName: string;
}

/** A site or slot as ARM's `Site` resource shows it. */
export function toSiteResource(
  site: SandboxSite,
  slotName: string,
  lastSwap: SwapRecord | undefined,
): Record<string, unknown> {
  const slot = site.slot(slotName);
  const d = site.definition;
  const isProduction = slotName === productionSlot;
  const host = site.hostName(slotName);
  return {
    id: site.resourceId(slotName),
    name: isProduction ? d.name : `${d.name}/${slotName}`,
    type: isProduction ? 'Microsoft.Web/sites' : 'Microsoft.Web/sites/slots',
    kind: 'app,linux,container',
    location: d.location,
    tags: site.tags,
    properties: {
      name: isProduction ? d.name : `${d.name}(${slotName})`,
      state: slot?.config.state ?? 'Stopped',
      hostNames: [host],
      repositorySiteName: d.name,
      usageState: 'Normal',
      enabled: true,
      enabledHostNames: [host],
      availabilityState: 'Normal',
      hostNameSslStates: [{ name: host, sslState: 'Disabled', hostType: 'Standard' }],
      serverFarmId: `/subscriptions/${d.subscriptionId}/resourceGroups/${d.resourceGroup}/providers/Microsoft.Web/serverfarms/${d.name}-plan`,
      reserved: true,
      isXenon: false,
      hyperV: false,
      lastModifiedTimeUtc: site.lastModified,
      vnetRouteAllEnabled: false,
      vnetImagePullEnabled: false,
      vnetContentShareEnabled: false,
      siteConfig: slot?.config.siteConfig ?? null,
      scmSiteAlsoStopped: false,
      clientAffinityEnabled: true,
      clientCertEnabled: false,
      clientCertMode: 'Required',
      hostNamesDisabled: false,
      customDomainVerificationId: '0'.repeat(64),
      outboundIpAddresses: '127.0.0.1',
      possibleOutboundIpAddresses: '127.0.0.1',
      containerSize: 0,
      dailyMemoryTimeQuota: 0,
      resourceGroup: d.resourceGroup,
      defaultHostName: host,
      httpsOnly: true,
      redundancyMode: 'None',
      storageAccountRequired: false,
      keyVaultReferenceIdentity: 'SystemAssigned',
      slotSwapStatus: lastSwap ?? null,
    },
  };
}

/** A `Microsoft.Web/sites/config` resource (`web`, `appsettings`, `slotConfigNames`). */
export function toConfigResource(
  site: SandboxSite,
  slotName: string,
  configName: string,
  properties: unknown,
): Record<string, unknown> {
  return {
    id: `${site.resourceId(slotName)}/config/${configName}`,
    name: configName,
    type: slotName === productionSlot ? 'Microsoft.Web/sites/config' : 'Microsoft.Web/sites/slots/config',
    kind: 'app,linux,container',
    location: site.definition.location,
    properties,
  };
}

/** A site's tags as the Tags API (`…/providers/Microsoft.Resources/tags/default`) shows them. */
export function toTagsResource(site: SandboxSite): Record<string, unknown> {
  return {
    id: `${site.resourceId(productionSlot)}/providers/Microsoft.Resources/tags/default`,
    name: 'default',
    type: 'Microsoft.Resources/tags',
    properties: { tags: site.tags },
  };
}
