import type { SwapProgress } from '../azure/slotSwap';
import type { ReleaseServices } from '../services';
import type { SlotTarget } from './releaseTypes';

/** How asking for a swap went: nothing to do, started (with its handle), Azure busy, or impossible. */
export type SwapStart =
  | { state: 'done' }
  | { state: 'started'; operation: string }
  | { state: 'busy'; reason: string }
  | { state: 'refused'; reason: string };

/** One look at a swap in progress: what production runs now, and what Azure says of the operation. */
export interface SwapLook {
  production: string | null;
  progress: SwapProgress;
}

/**
 * Starts swapping the slot into production so that production runs `image`, without waiting for
 * the swap. A swap is not idempotent, so it looks first: when production already runs the image (a
 * swap that finished after an earlier try timed out), there is nothing to do; when the slot does not
 * run it, swapping would put the wrong image in production.
 */
export function startSwap(services: ReleaseServices) {
  return async (input: SlotTarget & { image: string }): Promise<SwapStart> => {
    if ((await services.slots.getImage(input.site)) === input.image) return { state: 'done' };
    const onSlot = await services.slots.getImage(input.site, input.slot);
    if (onSlot !== input.image)
      return {
        state: 'refused',
        reason: `cannot swap ${input.image} into production: the slot runs ${onSlot ?? 'no image'}`,
      };
    const begun = await services.swaps.begin(input.site, input.slot);
    return 'busy' in begun
      ? { state: 'busy', reason: begun.busy }
      : { state: 'started', operation: begun.operation };
  };
}

/** Looks at a swap `startSwap` started: how Azure reports the operation, and what production runs. */
export function followSwap(services: ReleaseServices) {
  return async (input: SlotTarget & { operation: string }): Promise<SwapLook> => {
    const progress = await services.swaps.progress(input.site, input.operation);
    const production = (await services.slots.getImage(input.site)) ?? null;
    return { production, progress };
  };
}
