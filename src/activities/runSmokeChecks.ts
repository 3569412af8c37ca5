import type { ReleaseServices } from '../services';
import type { SlotTarget } from './releaseTypes';

export const runSmokeChecksActivity = 'runSmokeChecks';

/** Calls each smoke check on the slot's own host name; every check must answer its expected status. */
export function runSmokeChecks(services: ReleaseServices) {
  return async (
    input: SlotTarget & { checks: { path: string; expectStatus: number }[] },
  ): Promise<{ failures: string[] }> => {
    const host = await services.slots.hostName(input.site, input.slot);
    const failures: string[] = [];
    for (const check of input.checks) {
      try {
        const res = await fetch(`https://${host}${check.path}`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status !== check.expectStatus)
          failures.push(`${check.path} answered ${res.status}, expected ${check.expectStatus}`);
      } catch (err) {
        failures.push(`${check.path} did not answer: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { failures };
  };
}
