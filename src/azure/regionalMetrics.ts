import type { WindowCounts, WindowMetrics } from './metrics';
import type { SiteRegions } from './siteRegions';
import { siteOf } from './siteRef';

export interface RegionalMetricsOptions {
  regions: SiteRegions;
  /** The batch metrics endpoint of a region, e.g. `https://westeurope.metrics.monitor.azure.com`. */
  endpointOf(region: string): string;
  /** WindowMetrics over one endpoint; made once per endpoint and kept. */
  metricsAt(endpoint: string): WindowMetrics;
}

/**
 * WindowMetrics for sites in any region. Azure Monitor's batch endpoint is regional and refuses
 * resources of another region, so each id goes to its site's region's endpoint: ids are grouped by
 * region and each group is asked of that endpoint, the groups at once.
 */
export class RegionalWindowMetrics implements WindowMetrics {
  readonly #byEndpoint = new Map<string, WindowMetrics>();

  constructor(private readonly options: RegionalMetricsOptions) {}

  async query(resourceIds: readonly string[], start: Date, end: Date): Promise<Map<string, WindowCounts>> {
    const located = await Promise.all(
      resourceIds.map(async (id) => ({ id, region: await this.options.regions.regionOf(siteOf(id)) })),
    );
    const byRegion = new Map<string, string[]>();
    for (const { id, region } of located) byRegion.set(region, [...(byRegion.get(region) ?? []), id]);
    const answers = await Promise.all(
      [...byRegion].map(([region, ids]) => this.#metricsIn(region).query(ids, start, end)),
    );
    const merged = new Map(answers.flatMap((answer) => [...answer]));
    const counts = new Map<string, WindowCounts>();
    for (const id of resourceIds) {
      const found = merged.get(id);
      if (found) counts.set(id, found);
    }
    return counts;
  }

  #metricsIn(region: string): WindowMetrics {
    const endpoint = this.options.endpointOf(region);
    let metrics = this.#byEndpoint.get(endpoint);
    if (!metrics) {
      metrics = this.options.metricsAt(endpoint);
      this.#byEndpoint.set(endpoint, metrics);
    }
    return metrics;
  }
}
