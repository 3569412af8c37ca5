import { azureCall } from './azureOperationError';
import type { SiteRef } from './siteRef';
import { deploymentSlot, describeSlot } from './siteRef';
import type { WebAppsClients } from './webAppsClients';
import { defaultHostName } from './webAppsClients';

/**
 * What runs on a slot (production included, as `production` or no slot): which image, putting a new
 * one there, restarting it, and where it answers. Release activities use it to deploy to the staging
 * slot and to find the host name their warm-up and smoke checks call.
 */
export interface SlotDeployment {
  /** The container image the slot runs (`registry/repo:tag` or `registry/repo@sha256:…`), if any. */
  getImage(site: SiteRef, slot?: string): Promise<string | undefined>;
  /**
   * Points the slot at `image` (its `linuxFxVersion`); App Service restarts the slot on it. Running
   * it again with the same image leaves the slot as it is meant to be, so an activity may repeat it.
   */
  deployImage(site: SiteRef, slot: string, image: string): Promise<void>;
  /** Restarts the slot's app on the image it is configured with. */
  restart(site: SiteRef, slot: string): Promise<void>;
  /** The host name the slot answers on by itself (`defaultHostName`), for warm-up and smoke checks. */
  hostName(site: SiteRef, slot?: string): Promise<string>;
}

/** SlotDeployment over `@azure/arm-appservice`'s site config and restart operations. */
export class AppServiceSlotDeployment implements SlotDeployment {
  constructor(private readonly clients: WebAppsClients) {}

  async getImage(site: SiteRef, slot?: string): Promise<string | undefined> {
    return azureCall(`read the image of ${describeSlot(site, slot)}`, async () => {
      const webApps = this.clients.for(site);
      const name = deploymentSlot(slot);
      const config =
        name === undefined
          ? await webApps.getConfiguration(site.resourceGroup, site.name)
          : await webApps.getConfigurationSlot(site.resourceGroup, site.name, name);
      return fromLinuxFxVersion(config.linuxFxVersion);
    });
  }

  async deployImage(site: SiteRef, slot: string, image: string): Promise<void> {
    // Checked before anything is sent: a malformed value would take the slot down.
    const patch = { linuxFxVersion: toLinuxFxVersion(image) };
    return azureCall(`deploy ${image} to ${describeSlot(site, slot)}`, async () => {
      const webApps = this.clients.for(site);
      const name = deploymentSlot(slot);
      // A PATCH changes only the properties it names; the slot's other settings stay.
      if (name === undefined) await webApps.updateConfiguration(site.resourceGroup, site.name, patch);
      else await webApps.updateConfigurationSlot(site.resourceGroup, site.name, name, patch);
    });
  }

  async restart(site: SiteRef, slot: string): Promise<void> {
    return azureCall(`restart ${describeSlot(site, slot)}`, async () => {
      const webApps = this.clients.for(site);
      const name = deploymentSlot(slot);
      if (name === undefined) await webApps.restart(site.resourceGroup, site.name);
      else await webApps.restartSlot(site.resourceGroup, site.name, name);
    });
  }

  async hostName(site: SiteRef, slot?: string): Promise<string> {
    return azureCall(`read the host name of ${describeSlot(site, slot)}`, () =>
      defaultHostName(this.clients.for(site), site, slot),
    );
  }
}

const docker = 'DOCKER|';

/** The image in a `linuxFxVersion` of a container app (`DOCKER|image`); undefined for anything else. */
export function fromLinuxFxVersion(linuxFxVersion: string | undefined): string | undefined {
  if (!linuxFxVersion?.toUpperCase().startsWith(docker)) return undefined;
  const image = linuxFxVersion.slice(docker.length).trim();
  return image === '' ? undefined : image;
}

/** The `linuxFxVersion` that runs `image`; throws on a value App Service could not pull. */
export function toLinuxFxVersion(image: string): string {
  if (!/^[^\s|]+$/.test(image)) throw new RangeError(`"${image}" is not a container image reference.`);
  return `${docker}${image}`;
}
