import type { ReleaseServices } from '../services';
import { askSlot, describeAnswer } from './askSlot';
import type { SlotTarget } from './releaseTypes';

/**
 * Calls each smoke check on the slot's own host name; every check must answer its expected status
 * itself. Redirects are not followed, so a 302 passes only a check that expects 302.
 */
export function runSmokeChecks(services: ReleaseServices) {
  return async (
    input: SlotTarget & { checks: { path: string; expectStatus: number }[] },
  ): Promise<{ failures: string[] }> => {
    const host = await services.slots.hostName(input.site, input.slot);
    const failures: string[] = [];
    for (const check of input.checks) {
      const answer = await askSlot(host, check.path);
      if (!answer.answered) failures.push(describeAnswer(check.path, answer));
      else if (answer.status !== check.expectStatus)
        failures.push(`${describeAnswer(check.path, answer)}, expected ${check.expectStatus}`);
    }
    return { failures };
  };
}
