import { toAzureOperationError } from './azureOperationError';
import { RegistryClients } from './registryClients';
import type { RegistryClientOptions } from './registryClients';

/** A repository in a registry, as a target names it. */
export interface RegistryRepository {
  /** The registry's host name, e.g. contoso.azurecr.io. */
  loginServer: string;
  repository: string;
}

/** The manifest a tag or digest names: its digest and every tag it carries. */
export interface ResolvedManifest {
  digest: string;
  tags: string[];
}

/** Reads which manifest a tag or digest names in a registry's repository. */
export interface ImageRegistry {
  /**
   * The manifest `reference` (a tag, or a `sha256:` digest) names in the repository, or undefined
   * when the repository, the tag or the manifest does not exist. Other failures throw an
   * AzureOperationError.
   */
  resolve(repository: RegistryRepository, reference: string): Promise<ResolvedManifest | undefined>;
}

/**
 * ImageRegistry over `@azure/container-registry`'s data plane: a Microsoft Entra token is exchanged
 * for a registry token, so the identity needs a role that reads repository metadata (AcrPull, or
 * Container Registry Repository Reader on an ABAC-enabled registry).
 */
export class AcrImageRegistry implements ImageRegistry {
  readonly #clients: RegistryClients;

  constructor(options: RegistryClientOptions) {
    this.#clients = new RegistryClients(options);
  }

  async resolve(where: RegistryRepository, reference: string): Promise<ResolvedManifest | undefined> {
    const artifact = this.#clients.for(where.loginServer).getArtifact(where.repository, reference);
    try {
      const manifest = await artifact.getManifestProperties();
      return { digest: manifest.digest, tags: [...manifest.tags] };
    } catch (err) {
      const error = toAzureOperationError(`read ${where.loginServer}/${where.repository}:${reference}`, err);
      // ACR answers 404 for an unknown repository (NAME_UNKNOWN), tag (TAG_UNKNOWN) and manifest alike.
      if (error.status === 404) return undefined;
      throw error;
    }
  }
}
