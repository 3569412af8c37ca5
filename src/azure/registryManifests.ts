import type { ArtifactManifestProperties, ArtifactTagProperties } from '@azure/container-registry';
import { z } from 'zod';
import type { ListedManifest } from '../domain/registryRetention';
import { azureCall, toAzureOperationError } from './azureOperationError';
import type { RegistryRepository } from './imageRegistry';
import { RegistryClients } from './registryClients';
import type { RegistryClientOptions } from './registryClients';

/** The part of an OCI manifest that says which manifest it refers to. */
const subjectSchema = z.object({ subject: z.object({ digest: z.string() }).optional() });

/** ACR's own page size for its listings; one request lists this many manifests or tags. */
const pageSize = 100;

/** Lists and deletes the manifests of a registry's repositories, for registry cleanup. */
export interface RegistryManifests {
  /**
   * Every manifest of the repository, with its tags, locks and platform images, from one complete
   * paged listing; empty when the repository does not exist. Any other failure throws an
   * AzureOperationError, never a partial list.
   */
  list(where: RegistryRepository): Promise<ListedManifest[]>;
  /** Deletes a manifest (and its tags) by digest; `gone` when it was already. ACR's refusals throw. */
  deleteManifest(where: RegistryRepository, digest: string): Promise<'done' | 'gone'>;
}

/**
 * RegistryManifests over `@azure/container-registry`: two paged listings per repository (manifests,
 * then tags for their locks), and one read of each untagged manifest no index lists (for its subject). Deleting needs the registry's data-plane
 * delete permission (AcrDelete, or Container Registry Repository Contributor on an ABAC registry).
 */
export class AcrRegistryManifests implements RegistryManifests {
  readonly #clients: RegistryClients;

  constructor(options: RegistryClientOptions) {
    this.#clients = new RegistryClients(options);
  }

  async list(where: RegistryRepository): Promise<ListedManifest[]> {
    const name = `${where.loginServer}/${where.repository}`;
    const client = this.#clients.for(where.loginServer);
    try {
      const manifests: ArtifactManifestProperties[] = [];
      const listing = client.getRepository(where.repository).listManifestProperties();
      for await (const page of listing.byPage({ maxPageSize: pageSize })) manifests.push(...page);
      const first = manifests[0];
      if (first === undefined) return [];
      // The SDK lists the tags of the whole repository here: it sends no digest filter, whatever artifact it is asked through.
      const tags: ArtifactTagProperties[] = [];
      const tagListing = client.getArtifact(where.repository, first.digest).listTagProperties();
      for await (const page of tagListing.byPage({ maxPageSize: pageSize })) tags.push(...page);
      const lockedTags = lockedTagsByDigest(tags);
      const listed = manifests.map((m) => fromManifestProperties(m, lockedTags.get(m.digest) ?? []));
      return await this.#withSubjects(where, listed);
    } catch (err) {
      const error = toAzureOperationError(`list the manifests of ${name}`, err);
      // The URL names only the repository, so a 404 (NAME_UNKNOWN) means there is none: nothing to clean.
      if (error.status === 404) return [];
      throw error;
    }
  }

  /**
   * Reads the document of each untagged manifest that no index lists, to learn the manifest it refers
   * to (`subject`): Notation signatures, `oras attach` attestations and SBOMs are pushed untagged, and
   * the listing does not say what they are about. Tagged images and platform images are never read.
   */
  async #withSubjects(where: RegistryRepository, listed: ListedManifest[]): Promise<ListedManifest[]> {
    const children = new Set(listed.flatMap((m) => m.children));
    const content = this.#clients.contentFor(where.loginServer, where.repository);
    const withSubjects: ListedManifest[] = [];
    for (const m of listed) {
      if (m.tags.length > 0 || children.has(m.digest) || m.children.length > 0) {
        withSubjects.push(m);
        continue;
      }
      let document: unknown;
      try {
        document = (await content.getManifest(m.digest)).manifest;
      } catch (err) {
        // Deleted since the listing: nothing to plan for it.
        if (toAzureOperationError(`read ${m.digest}`, err).status === 404) continue;
        throw err;
      }
      const subject = subjectSchema.safeParse(document).data?.subject?.digest;
      withSubjects.push(subject === undefined ? m : { ...m, subject });
    }
    return withSubjects;
  }

  async deleteManifest(where: RegistryRepository, digest: string): Promise<'done' | 'gone'> {
    const artifact = this.#clients.for(where.loginServer).getArtifact(where.repository, digest);
    let status: number | undefined;
    // The SDK takes ACR's 404 as success; the status tells a deletion from a manifest already gone.
    await azureCall(`delete ${where.loginServer}/${where.repository}@${digest}`, () =>
      artifact.delete({ onResponse: (response) => (status = response.status) }),
    );
    return status === 404 ? 'gone' : 'done';
  }
}

/** The names of locked tags (`deleteEnabled` or `writeEnabled` false), by the digest they name. */
function lockedTagsByDigest(tags: readonly ArtifactTagProperties[]): Map<string, string[]> {
  const locked = new Map<string, string[]>();
  for (const t of tags)
    if (t.canDelete === false || t.canWrite === false)
      locked.set(t.digest, [...(locked.get(t.digest) ?? []), t.name]);
  return locked;
}

/** A listed manifest as the planner reads it, with the locked tags the tag listing found on it. */
export function fromManifestProperties(
  manifest: ArtifactManifestProperties,
  lockedTags: string[],
): ListedManifest {
  return {
    digest: manifest.digest,
    tags: [...manifest.tags],
    lockedTags,
    lastUpdatedOn: manifest.lastUpdatedOn.toISOString(),
    architecture: manifest.architecture,
    os: manifest.operatingSystem,
    children: manifest.relatedArtifacts.map((r) => r.digest),
    canDelete: manifest.canDelete !== false,
    canWrite: manifest.canWrite !== false,
  };
}
