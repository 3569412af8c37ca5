import type { Config } from './config';
import { createAzureCredential } from './azure/credential';
import { AcrImageRegistry } from './azure/imageRegistry';
import type { ImageRegistry } from './azure/imageRegistry';
import { MonitorWindowMetrics } from './azure/metrics';
import type { WindowMetrics } from './azure/metrics';
import { ArmResourceTags } from './azure/resourceTags';
import type { ResourceTags } from './azure/resourceTags';
import { AppServiceSlotDeployment } from './azure/slotDeployment';
import type { SlotDeployment } from './azure/slotDeployment';
import { AppServiceTrafficRouter } from './azure/trafficRouter';
import type { TrafficRouter } from './azure/trafficRouter';
import { WebAppsClients } from './azure/webAppsClients';

/** The Azure services release activities act through, made once from the settings. */
export interface ReleaseServices {
  slots: SlotDeployment;
  router: TrafficRouter;
  metrics: WindowMetrics;
  tags: ResourceTags;
}

export function createReleaseServices(config: Config): ReleaseServices {
  const credential = createAzureCredential(
    config.authorityHost === undefined ? {} : { authorityHost: config.authorityHost },
  );
  const arm = { credential, endpoint: config.armEndpoint };
  const clients = new WebAppsClients(arm);
  return {
    slots: new AppServiceSlotDeployment(clients),
    router: new AppServiceTrafficRouter(clients),
    metrics: new MonitorWindowMetrics({ credential, endpoint: config.metricsEndpoint }),
    tags: new ArmResourceTags(arm),
  };
}

/** The registries' data plane, where the tags and digests people ask to release are resolved. */
export function createImageRegistry(config: Config): ImageRegistry {
  const credential = createAzureCredential(
    config.authorityHost === undefined ? {} : { authorityHost: config.authorityHost },
  );
  return new AcrImageRegistry({ credential, endpoint: config.registryEndpoint });
}
