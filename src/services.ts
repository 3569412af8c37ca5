import type { Config } from './config';
import { metricsEndpointFor } from './config';
import { azureCredentialOnFirstUse } from './azure/credential';
import { AcrImageRegistry } from './azure/imageRegistry';
import type { ImageRegistry } from './azure/imageRegistry';
import { MonitorWindowMetrics } from './azure/metrics';
import type { WindowMetrics } from './azure/metrics';
import { RegionalWindowMetrics } from './azure/regionalMetrics';
import { ArmResourceTags } from './azure/resourceTags';
import type { ResourceTags } from './azure/resourceTags';
import { AppServiceSitePower } from './azure/sitePower';
import type { SitePower } from './azure/sitePower';
import { ArmSiteRegions } from './azure/siteRegions';
import { AppServiceSlotDeployment } from './azure/slotDeployment';
import { AppServiceSlotSwap } from './azure/slotSwap';
import type { SlotSwap } from './azure/slotSwap';
import type { SlotDeployment } from './azure/slotDeployment';
import { AppServiceTrafficRouter } from './azure/trafficRouter';
import type { TrafficRouter } from './azure/trafficRouter';
import { WebAppsClients } from './azure/webAppsClients';

/** The Azure services release activities act through, made once from the settings. */
export interface ReleaseServices {
  slots: SlotDeployment;
  router: TrafficRouter;
  swaps: SlotSwap;
  metrics: WindowMetrics;
  tags: ResourceTags;
  /** Stops and starts sites and slots: a budget's critical threshold, and its reset. */
  power: SitePower;
}

export function createReleaseServices(config: Config): ReleaseServices {
  const credential = azureCredentialOnFirstUse(config);
  const arm = { credential, endpoint: config.armEndpoint };
  const clients = new WebAppsClients(arm);
  return {
    slots: new AppServiceSlotDeployment(clients),
    router: new AppServiceTrafficRouter(clients),
    swaps: new AppServiceSlotSwap(clients),
    metrics: new RegionalWindowMetrics({
      regions: new ArmSiteRegions(clients),
      endpointOf: (region) => metricsEndpointFor(config.metricsEndpoint, region),
      metricsAt: (endpoint) => new MonitorWindowMetrics({ credential, endpoint }),
    }),
    tags: new ArmResourceTags(arm),
    power: new AppServiceSitePower(clients),
  };
}

/** The registries' data plane, where the tags and digests people ask to release are resolved. */
export function createImageRegistry(config: Config): ImageRegistry {
  return new AcrImageRegistry({
    credential: azureCredentialOnFirstUse(config),
    endpoint: config.registryEndpoint,
  });
}
