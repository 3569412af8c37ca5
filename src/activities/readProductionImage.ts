import type { SiteRef } from '../azure/siteRef';
import type { ReleaseServices } from '../services';

/** The image production runs before the release: what a rollback after the swap returns to. */
export function readProductionImage(services: ReleaseServices) {
  return async (input: { site: SiteRef }): Promise<string | null> =>
    (await services.slots.getImage(input.site)) ?? null;
}
