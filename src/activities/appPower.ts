import type { SiteRef } from '../azure/siteRef';

export const readAppStatesActivity = 'readAppStates';
export const setAppStateActivity = 'setAppState';

/** What the activities need of the App Service adapter that stops and starts sites and slots. */
export interface AppPower {
  states(site: SiteRef): Promise<{ slot: string; state: string }[]>;
  stop(site: SiteRef, slot: string): Promise<void>;
  start(site: SiteRef, slot: string): Promise<void>;
}

/** Every slot of a site (production first) and whether it runs. */
export function readAppStates(power: AppPower) {
  return (input: { site: SiteRef }): Promise<{ slot: string; state: string }[]> => power.states(input.site);
}

/** Stops or starts one slot through ARM; doing it again is harmless. */
export function setAppState(power: AppPower) {
  return (input: { site: SiteRef; slot: string; state: 'Running' | 'Stopped' }): Promise<void> =>
    input.state === 'Stopped' ? power.stop(input.site, input.slot) : power.start(input.site, input.slot);
}
