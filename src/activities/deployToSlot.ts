import type { ReleaseServices } from '../services';
import type { SlotTarget } from './releaseTypes';

/** Points the staging slot at the new image; App Service restarts it on that image. Repeatable. */
export function deployToSlot(services: ReleaseServices) {
  return async (input: SlotTarget & { image: string }): Promise<void> => {
    await services.slots.deployImage(input.site, input.slot, input.image);
  };
}
