import type { Config } from './config';
import { createAzureCredential } from './azure/credential';
import { AcrImageRegistry } from './azure/imageRegistry';
import type { ImageRegistry } from './azure/imageRegistry';
import { AcrRegistryManifests } from './azure/registryManifests';
import type { RegistryManifests } from './azure/registryManifests';
import { ArmResourceTags } from './azure/resourceTags';
import type { ResourceTags } from './azure/resourceTags';
import { AppServiceSlotDeployment } from './azure/slotDeployment';
import type { SlotDeployment } from './azure/slotDeployment';
import { WebAppsClients } from './azure/webAppsClients';

/** What registry cleanup reads and deletes through, made once from the settings. */
export interface RegistryCleanupServices {
  manifests: RegistryManifests;
  /** Tags in images that slots run or known-good records name, resolved to digests. */
  images: ImageRegistry;
  slots: SlotDeployment;
  tags: ResourceTags;
}

export function createRegistryCleanupServices(config: Config): RegistryCleanupServices {
  const credential = createAzureCredential(config);
  const registry = { credential, endpoint: config.registryEndpoint };
  const arm = { credential, endpoint: config.armEndpoint };
  return {
    manifests: new AcrRegistryManifests(registry),
    images: new AcrImageRegistry(registry),
    slots: new AppServiceSlotDeployment(new WebAppsClients(arm)),
    tags: new ArmResourceTags(arm),
  };
}
