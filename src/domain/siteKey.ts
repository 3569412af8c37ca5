/** An App Service site as a target's `site` names it. */
export interface SiteName {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** What tells two sites apart: Azure does not keep the case of resource ids, so it is lower-cased. */
export function siteKey(site: SiteName): string {
  return `${site.subscriptionId}/${site.resourceGroup}/${site.name}`.toLowerCase();
}
