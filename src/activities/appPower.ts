import type { SitePower, SlotState } from '../azure/sitePower';
import type { SiteRef } from '../azure/siteRef';

/** Every slot of a site (production first) and whether it runs. */
export function readAppStates(power: SitePower) {
  return (input: { site: SiteRef }): Promise<SlotState[]> => power.states(input.site);
}

/** Stops or starts one slot through ARM; doing it again is harmless. */
export function setAppState(power: SitePower) {
  return (input: { site: SiteRef; slot: string; state: 'Running' | 'Stopped' }): Promise<void> =>
    input.state === 'Stopped' ? power.stop(input.site, input.slot) : power.start(input.site, input.slot);
}
