import type { SiteRef } from '../azure/siteRef';

/** The slot a release works on. */
export interface SlotTarget {
  site: SiteRef;
  slot: string;
}
