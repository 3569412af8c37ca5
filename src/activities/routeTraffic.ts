import type { SiteRef } from '../azure/siteRef';
import type { ReleaseServices } from '../services';
import type { SlotTarget } from './releaseTypes';

/** Sends `percent` of production's traffic to the slot. Setting the same share again changes nothing. */
export function setTrafficShare(services: ReleaseServices) {
  return async (input: SlotTarget & { percent: number }): Promise<void> => {
    await services.router.setSlotShare(input.site, input.slot, input.percent);
  };
}

/** Removes every routing rule: the fastest relief, and opted-in users stop reaching the slot too. */
export function clearTrafficRouting(services: ReleaseServices) {
  return async (input: { site: SiteRef }): Promise<void> => {
    await services.router.clearRouting(input.site);
  };
}
