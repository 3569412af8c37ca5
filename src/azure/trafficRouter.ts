import type { RampUpRule } from '@azure/arm-appservice';
import { azureCall } from './azureOperationError';
import type { SiteRef } from './siteRef';
import { deploymentSlot, describeSlot } from './siteRef';
import type { WebAppsClients } from './webAppsClients';
import { defaultHostName } from './webAppsClients';

/**
 * Who gets which version: the share of production's traffic a slot receives. Shepherd owns the site's routing rules outright (every write replaces all of
 * them), so nothing else may set traffic routing on a site Shepherd releases.
 */
export interface TrafficRouter {
  /**
   * Sends `percent` (0–100) of production's users to `slot`, as the site's only routing rule; any
   * other rule goes. Repeating it changes nothing. A rule at 0% still admits users who opt in with
   * `?x-ms-routing-name=`, so use `clearRouting` to take a slot out of service.
   */
  setSlotShare(site: SiteRef, slot: string, percent: number): Promise<void>;
  /** Removes every routing rule: all users go to production, and none can opt into a slot. */
  clearRouting(site: SiteRef): Promise<void>;
  /** The site's routing rules as they are, whoever set them; none when all users go to production. */
  slotShares(site: SiteRef): Promise<SlotShare[]>;
}

/** One slot's share of production's traffic. */
export interface SlotShare {
  slot: string;
  /** The slot's own host name, where App Service sends the share. */
  hostName: string;
  percent: number;
}

/** TrafficRouter over `@azure/arm-appservice`: production's `experiments.rampUpRules`. */
export class AppServiceTrafficRouter implements TrafficRouter {
  constructor(private readonly clients: WebAppsClients) {}

  async setSlotShare(site: SiteRef, slot: string, percent: number): Promise<void> {
    const name = deploymentSlot(slot);
    if (name === undefined) throw new RangeError('Production cannot take a share of its own traffic.');
    if (!Number.isFinite(percent) || percent < 0 || percent > 100)
      throw new RangeError(`A traffic share is 0 to 100 percent, not ${percent}.`);
    return azureCall(
      `send ${percent}% of ${site.name}'s traffic to ${describeSlot(site, slot)}`,
      async () => {
        const webApps = this.clients.for(site);
        const hostName = await defaultHostName(webApps, site, name);
        await this.#writeRules(site, [{ slot: name, hostName, percent }]);
      },
    );
  }

  async clearRouting(site: SiteRef): Promise<void> {
    return azureCall(`clear the routing rules of ${site.name}`, () => this.#writeRules(site, []));
  }

  async slotShares(site: SiteRef): Promise<SlotShare[]> {
    return azureCall(`read the routing rules of ${site.name}`, async () => {
      const config = await this.clients.for(site).getConfiguration(site.resourceGroup, site.name);
      return fromRampUpRules(config.experiments?.rampUpRules ?? []);
    });
  }

  async #writeRules(site: SiteRef, shares: SlotShare[]): Promise<void> {
    // The rules live on production's config; a PATCH naming only `experiments` leaves the rest alone.
    await this.clients.for(site).updateConfiguration(site.resourceGroup, site.name, {
      experiments: { rampUpRules: toRampUpRules(shares) },
    });
  }
}

/** Routing rules for the given shares, in the shape App Service keeps them (without auto-ramp). */
export function toRampUpRules(shares: SlotShare[]): RampUpRule[] {
  return shares.map((share) => ({
    name: share.slot,
    actionHostName: share.hostName,
    reroutePercentage: share.percent,
  }));
}

/** The shares App Service's routing rules give; a rule without a slot name is named by its host name. */
export function fromRampUpRules(rules: RampUpRule[]): SlotShare[] {
  return rules.map((rule) => ({
    slot: rule.name ?? rule.actionHostName ?? '',
    hostName: rule.actionHostName ?? '',
    percent: rule.reroutePercentage ?? 0,
  }));
}
