import type { ReleaseServices } from '../services';
import type { SlotTarget } from './releaseTypes';

export const ensureProductionImageActivity = 'ensureProductionImage';

/**
 * Makes production run `image` by swapping it in from the slot. A swap is not idempotent, so this
 * looks first: when production already runs the image (a retried or replayed call), it does nothing.
 */
export function ensureProductionImage(services: ReleaseServices) {
  return async (input: SlotTarget & { image: string }): Promise<'already' | 'swapped'> => {
    if ((await services.slots.getImage(input.site)) === input.image) return 'already';
    const onSlot = await services.slots.getImage(input.site, input.slot);
    if (onSlot !== input.image)
      throw new Error(`Cannot swap ${input.image} into production: the slot runs ${onSlot ?? 'no image'}.`);
    await services.router.swapIntoProduction(input.site, input.slot);
    return 'swapped';
  };
}
