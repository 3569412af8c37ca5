import type { ReleaseServices } from '../services';
import { askSlot, describeAnswer } from './askSlot';
import type { SlotTarget } from './releaseTypes';

export interface SlotHealth {
  healthy: boolean;
  detail: string;
}

/**
 * One look at the slot: does it run the new image, and does its health path answer 200 itself? A
 * redirect (to a login page, say) is not healthy. The orchestrator repeats it on a durable timer until
 * the warm-up time is up.
 */
export function checkSlotHealth(services: ReleaseServices) {
  return async (input: SlotTarget & { image: string; healthPath: string }): Promise<SlotHealth> => {
    const image = await services.slots.getImage(input.site, input.slot);
    if (image !== input.image)
      return { healthy: false, detail: `the slot runs ${image ?? 'no image'}, not ${input.image}` };
    const host = await services.slots.hostName(input.site, input.slot);
    const answer = await askSlot(host, input.healthPath);
    return {
      healthy: answer.answered && answer.status === 200,
      detail: describeAnswer(input.healthPath, answer),
    };
  };
}
