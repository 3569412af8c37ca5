import type { ReleaseServices } from '../services';
import type { SlotTarget } from './releaseTypes';

export const checkSlotHealthActivity = 'checkSlotHealth';

export interface SlotHealth {
  healthy: boolean;
  detail: string;
}

/**
 * One look at the slot: does it run the new image, and does its health path answer 200? The
 * orchestrator repeats it on a durable timer until the warm-up time is up.
 */
export function checkSlotHealth(services: ReleaseServices) {
  return async (input: SlotTarget & { image: string; healthPath: string }): Promise<SlotHealth> => {
    const image = await services.slots.getImage(input.site, input.slot);
    if (image !== input.image)
      return { healthy: false, detail: `the slot runs ${image ?? 'no image'}, not ${input.image}` };
    const host = await services.slots.hostName(input.site, input.slot);
    try {
      const res = await fetch(`https://${host}${input.healthPath}`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return res.status === 200
        ? { healthy: true, detail: `${input.healthPath} answered 200` }
        : { healthy: false, detail: `${input.healthPath} answered ${res.status}` };
    } catch (err) {
      return {
        healthy: false,
        detail: `${input.healthPath} did not answer: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  };
}
