import { siteResourceId } from '../azure/siteRef';
import type { WindowCounts } from '../domain/canaryWindow';
import type { ReleaseServices } from '../services';
import type { SlotTarget } from './releaseTypes';

export type WindowMetricsResult = { slot: WindowCounts; production: WindowCounts } | { error: string };

/**
 * The slot's and production's counts for one analysis window. A failed query is returned, not
 * thrown: the release judges that window inconclusive.
 */
export function readWindowMetrics(services: ReleaseServices) {
  return async (input: SlotTarget & { start: string; end: string }): Promise<WindowMetricsResult> => {
    const slotId = siteResourceId(input.site, input.slot);
    const productionId = siteResourceId(input.site);
    try {
      const counts = await services.metrics.query(
        [slotId, productionId],
        new Date(input.start),
        new Date(input.end),
      );
      const slot = counts.get(slotId);
      const production = counts.get(productionId);
      if (!slot || !production) return { error: 'the metrics answer left out the slot or production' };
      return { slot, production };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };
}
