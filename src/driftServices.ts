import type { FreezeStore } from './azure/freezeStore';
import type { ResourceTags } from './azure/resourceTags';
import type { SitePower } from './azure/sitePower';
import type { SlotDeployment } from './azure/slotDeployment';
import type { TrafficRouter } from './azure/trafficRouter';
import type { ReleaseServices } from './services';
import type { StateServices } from './stateServices';

/** What the drift check reads every target through, and the one thing it changes (routing rules). */
export interface DriftServices {
  router: TrafficRouter;
  slots: SlotDeployment;
  tags: ResourceTags;
  power: SitePower;
  /** Budget freezes explain a stopped app. */
  freezes: FreezeStore;
}

/** The release services' App Service adapters and the freeze store, made once at start-up and shared. */
export function driftServicesOf(release: ReleaseServices, state: StateServices): DriftServices {
  const { router, slots, tags, power } = release;
  return { router, slots, tags, power, freezes: state.freezes };
}
