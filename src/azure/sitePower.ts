import { azureCall } from './azureOperationError';
import type { SiteRef } from './siteRef';
import { deploymentSlot, describeSlot, productionSlot } from './siteRef';
import type { WebAppsClients } from './webAppsClients';

/** Whether a site's or slot's app runs, as ARM's `properties.state` says (`Running`, `Stopped`, …). */
export interface SlotState {
  /** `production` for the site itself, else the deployment slot's name. */
  slot: string;
  state: string;
}

/**
 * Stops and starts the apps of a site and its slots through ARM. Each slot has its own state:
 * stopping the site stops production alone. A stopped app answers its host name with 403 ("This web
 * app is stopped") until it is started, and starts on the image it was configured with.
 */
export interface SitePower {
  /** Every slot of the site, production first, with its state. */
  states(site: SiteRef): Promise<SlotState[]>;
  /** Stops the slot's app (`production` or no slot: the site's). Stopping a stopped app changes nothing. */
  stop(site: SiteRef, slot?: string): Promise<void>;
  /** Starts the slot's app (`production` or no slot: the site's). Starting a running app changes nothing. */
  start(site: SiteRef, slot?: string): Promise<void>;
}

/** SitePower over `@azure/arm-appservice`: Stop, Start, StopSlot, StartSlot, Get and ListSlots. */
export class AppServiceSitePower implements SitePower {
  constructor(private readonly clients: WebAppsClients) {}

  async states(site: SiteRef): Promise<SlotState[]> {
    return azureCall(`read whether ${site.name} and its slots run`, async () => {
      const webApps = this.clients.for(site);
      const production = await webApps.get(site.resourceGroup, site.name);
      const states: SlotState[] = [{ slot: productionSlot, state: production.state ?? 'Unknown' }];
      for await (const slot of webApps.listSlots(site.resourceGroup, site.name)) {
        // ARM names a slot `{site}/{slot}`.
        const name = slot.name?.split('/').at(-1);
        if (name) states.push({ slot: name, state: slot.state ?? 'Unknown' });
      }
      return states;
    });
  }

  stop(site: SiteRef, slot?: string): Promise<void> {
    return this.#switch('stop', site, slot);
  }

  start(site: SiteRef, slot?: string): Promise<void> {
    return this.#switch('start', site, slot);
  }

  async #switch(action: 'stop' | 'start', site: SiteRef, slot: string | undefined): Promise<void> {
    const name = deploymentSlot(slot);
    const webApps = this.clients.for(site);
    await azureCall(`${action} ${describeSlot(site, slot)}`, () =>
      name === undefined
        ? webApps[action](site.resourceGroup, site.name)
        : webApps[action === 'stop' ? 'stopSlot' : 'startSlot'](site.resourceGroup, site.name, name),
    );
  }
}
