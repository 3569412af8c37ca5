import type { SiteRef } from '../azure/siteRef';
import { siteResourceId } from '../azure/siteRef';
import { knownGoodFromTags, knownGoodToTags } from '../domain/knownGood';
import type { KnownGood } from '../domain/knownGood';
import type { ReleaseServices } from '../services';

/** What the site's tags record as known good, and what production runs now. */
export function readKnownGood(services: ReleaseServices) {
  return async (input: { site: SiteRef }): Promise<{ record: KnownGood; production: string | null }> => {
    const [tags, production] = await Promise.all([
      services.tags.read(siteResourceId(input.site)),
      services.slots.getImage(input.site),
    ]);
    return { record: knownGoodFromTags(tags), production: production ?? null };
  };
}

/** Writes the known-good record into the site's tags, keeping its other tags. Repeatable. */
export function recordKnownGood(services: ReleaseServices) {
  return async (input: { site: SiteRef; record: KnownGood }): Promise<void> => {
    await services.tags.merge(siteResourceId(input.site), knownGoodToTags(input.record));
  };
}
