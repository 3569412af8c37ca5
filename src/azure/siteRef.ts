/** Which App Service site an adapter acts on. A target's `site` settings satisfy it. */
export interface SiteRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** The name App Service gives the main slot; adapters take it, or no slot at all, to mean production. */
export const productionSlot = 'production';

/**
 * The deployment slot `slot` names, or undefined when it means production: not given, or named
 * `production` in any case. ARM addresses production through the site itself, not as a slot.
 */
export function deploymentSlot(slot: string | undefined): string | undefined {
  return slot === undefined || slot.toLowerCase() === productionSlot ? undefined : slot;
}

/**
 * The ARM resource id of a site, or of one of its slots: what Azure Monitor metrics and alerts name
 * (`…/Microsoft.Web/sites/{site}` or `…/sites/{site}/slots/{slot}`).
 */
export function siteResourceId(site: SiteRef, slot?: string): string {
  const base = `/subscriptions/${site.subscriptionId}/resourceGroups/${site.resourceGroup}/providers/Microsoft.Web/sites/${site.name}`;
  const name = deploymentSlot(slot);
  return name === undefined ? base : `${base}/slots/${name}`;
}

/**
 * The site a site's or slot's resource id (`…/Microsoft.Web/sites/{site}[/slots/{slot}]`, in any
 * case) belongs to. Throws a RangeError for the id of anything else.
 */
export function siteOf(resourceId: string): SiteRef {
  const match =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/([^/]+)(?:\/slots\/[^/]+)?$/i.exec(
      resourceId,
    );
  const [, subscriptionId, resourceGroup, name] = match ?? [];
  if (subscriptionId === undefined || resourceGroup === undefined || name === undefined)
    throw new RangeError(`${resourceId} is not the id of an App Service site or slot.`);
  return { subscriptionId, resourceGroup, name };
}

/** How a site or slot reads in messages: `contoso-web` or `contoso-web/staging`. */
export function describeSlot(site: SiteRef, slot?: string): string {
  const name = deploymentSlot(slot);
  return name === undefined ? site.name : `${site.name}/${name}`;
}
