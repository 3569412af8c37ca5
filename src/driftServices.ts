import type { Config } from './config';
import type { FreezeStore } from './azure/freezeStore';
import type { ResourceTags } from './azure/resourceTags';
import type { SitePower } from './azure/sitePower';
import type { SlotDeployment } from './azure/slotDeployment';
import type { TrafficRouter } from './azure/trafficRouter';
import { createReleaseServices } from './services';
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

/** The release services' App Service adapters, and the freeze store. */
export function createDriftCleanupServices(config: Config): DriftServices {
  const { router, slots, tags, power } = createReleaseServices(config);
  return { router, slots, tags, power, freezes: createStateServices(config).freezes };
}
