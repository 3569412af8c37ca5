import type { WebAppsOperations, WebSiteManagementClient } from '@azure/arm-appservice';
import { shepherdUserAgent } from './userAgent';
import type { TokenCredential } from '@azure/identity';
import { sdk } from './sdk';
import type { SiteRef } from './siteRef';
import { deploymentSlot, describeSlot } from './siteRef';

export interface ArmOptions {
  credential: TokenCredential;
  /** ARM's base URL: Azure's public cloud when not given, the sandbox's URL when it stands in. */
  endpoint?: string;
}

/**
 * The App Service management clients of every subscription Shepherd's targets live in. A client is
 * bound to one subscription, so each is made on first use and kept: it holds the HTTP pipeline and
 * the token cache that every later call reuses.
 */
export class WebAppsClients {
  readonly #clients = new Map<string, WebSiteManagementClient>();

  constructor(private readonly options: ArmOptions) {}

  /** ARM's base URL, without a trailing slash: where a request the SDK has no operation for goes. */
  get endpoint(): string {
    return (this.options.endpoint ?? 'https://management.azure.com').replace(/\/+$/, '');
  }

  /** The `webApps` operations of the subscription `site` lives in. */
  for(site: SiteRef): WebAppsOperations {
    return this.client(site).webApps;
  }

  /** The management client of the subscription `site` lives in (a long-running operation resumes on it). */
  client(site: SiteRef): WebSiteManagementClient {
    const key = site.subscriptionId.toLowerCase();
    let client = this.#clients.get(key);
    if (!client) {
      const { credential, endpoint } = this.options;
      client = new (sdk('@azure/arm-appservice').WebSiteManagementClient)(
        credential,
        site.subscriptionId,
        endpoint === undefined ? shepherdUserAgent : { ...shepherdUserAgent, endpoint },
      );
      this.#clients.set(key, client);
    }
    return client;
  }
}

/** The host name App Service serves a site or slot on (`defaultHostName`, e.g. `web-staging.azurewebsites.net`). */
export async function defaultHostName(
  webApps: WebAppsOperations,
  site: SiteRef,
  slot?: string,
): Promise<string> {
  const name = deploymentSlot(slot);
  const resource =
    name === undefined
      ? await webApps.get(site.resourceGroup, site.name)
      : await webApps.getSlot(site.resourceGroup, site.name, name);
  if (!resource.defaultHostName) throw new Error(`${describeSlot(site, slot)} has no default host name.`);
  return resource.defaultHostName;
}
