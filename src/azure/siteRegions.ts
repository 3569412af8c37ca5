import { azureCall } from './azureOperationError';
import type { SiteRef } from './siteRef';
import { describeSlot } from './siteRef';
import type { WebAppsClients } from './webAppsClients';

/** The Azure region each site runs in, as regional endpoints name it (`westeurope`). */
export interface SiteRegions {
  regionOf(site: SiteRef): Promise<string>;
}

/**
 * SiteRegions from each site's ARM resource (`location`), asked once per site: App Service cannot
 * move a site to another region, so the answer never changes. A failed lookup is asked again next
 * time.
 */
export class ArmSiteRegions implements SiteRegions {
  readonly #regions = new Map<string, Promise<string>>();

  constructor(private readonly clients: WebAppsClients) {}

  regionOf(site: SiteRef): Promise<string> {
    const key = `${site.subscriptionId}/${site.resourceGroup}/${site.name}`.toLowerCase();
    let region = this.#regions.get(key);
    if (!region) {
      region = azureCall(`read the region of ${describeSlot(site)}`, async () => {
        const { location } = await this.clients.for(site).get(site.resourceGroup, site.name);
        return toRegionName(location);
      });
      this.#regions.set(key, region);
      const asked = region;
      void asked.catch(() => {
        if (this.#regions.get(key) === asked) this.#regions.delete(key);
      });
    }
    return region;
  }
}

/**
 * The region name of an ARM `location`. ARM shows a site's location by its display name ("West
 * Europe", "East US 2"); the region's name, which endpoints such as
 * `https://<region>.metrics.monitor.azure.com` use, is that without spaces in lower case
 * (`westeurope`, `eastus2`), the normalization the Azure CLI applies to locations too.
 */
export function toRegionName(location: string): string {
  const region = location.replace(/\s+/g, '').toLowerCase();
  if (!/^[a-z0-9]+$/.test(region))
    throw new RangeError(`"${location}" is not an Azure region Shepherd can name an endpoint after.`);
  return region;
}
