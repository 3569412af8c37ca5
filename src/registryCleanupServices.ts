import type { Config } from './config';
import { azureCredentialOnFirstUse } from './azure/credential';
import type { ImageRegistry } from './azure/imageRegistry';
import { AcrRegistryManifests } from './azure/registryManifests';
import type { RegistryManifests } from './azure/registryManifests';
import type { ResourceTags } from './azure/resourceTags';
import type { SlotDeployment } from './azure/slotDeployment';
import type { ReleaseServices } from './services';

/** What registry cleanup reads and deletes through, made once from the settings. */
export interface RegistryCleanupServices {
  manifests: RegistryManifests;
  /** Tags in images that slots run or known-good records name, resolved to digests. */
  images: ImageRegistry;
  slots: SlotDeployment;
  tags: ResourceTags;
}

/**
 * The registry's manifests, beside the image registry and the release services' slot and tag
 * adapters that start-up made already (one set of clients, one token cache).
 */
export function createRegistryCleanupServices(
  config: Config,
  release: Pick<ReleaseServices, 'slots' | 'tags'>,
  images: ImageRegistry,
): RegistryCleanupServices {
  const manifests = new AcrRegistryManifests({
    credential: azureCredentialOnFirstUse(config),
    endpoint: config.registryEndpoint,
  });
  return { manifests, images, slots: release.slots, tags: release.tags };
}
