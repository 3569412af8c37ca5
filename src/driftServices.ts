import type { Config } from './config';
import { createAzureCredential } from './azure/credential';
import type { FreezeStore } from './azure/freezeStore';
import { ArmResourceTags } from './azure/resourceTags';
import type { ResourceTags } from './azure/resourceTags';
import { AppServiceSitePower } from './azure/sitePower';
import type { SitePower } from './azure/sitePower';
import { AppServiceSlotDeployment } from './azure/slotDeployment';
import type { SlotDeployment } from './azure/slotDeployment';
import { AppServiceTrafficRouter } from './azure/trafficRouter';
import type { TrafficRouter } from './azure/trafficRouter';
import { WebAppsClients } from './azure/webAppsClients';
import { createStateServices } from './stateServices';

/** What the drift check reads every target through, and the one thing it changes (routing rules). */
export interface DriftServices {
  router: TrafficRouter;
  slots: SlotDeployment;
  tags: ResourceTags;
  power: SitePower;
  /** Budget freezes explain a stopped app. */
  freezes: FreezeStore;
}

export function createDriftCleanupServices(config: Config): DriftServices {
  const credential = createAzureCredential(config);
  const arm = { credential, endpoint: config.armEndpoint };
  const clients = new WebAppsClients(arm);
  return {
    router: new AppServiceTrafficRouter(clients),
    slots: new AppServiceSlotDeployment(clients),
    tags: new ArmResourceTags(arm),
    power: new AppServiceSitePower(clients),
    freezes: createStateServices(config).freezes,
  };
}
