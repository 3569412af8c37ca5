import type { ImageFaults } from '../imageFaults';
import { disallowed, notFound } from './errors';
import type { ImageContent } from './image';

/** ACR's per-repository, per-manifest and per-tag locks. */
export interface ChangeableAttributes {
  deleteEnabled: boolean;
  writeEnabled: boolean;
  listEnabled: boolean;
  readEnabled: boolean;
}

/** A pushed image: its content, when it was pushed and last changed, its locks and its faults. */
export interface StoredManifest extends ImageContent {
  createdOn: number;
  lastUpdatedOn: number;
  attributes: ChangeableAttributes;
  faults: ImageFaults;
}

/** A tag: the manifest it names, its times and its own locks (separate from the manifest's). */
export interface StoredTag {
  name: string;
  digest: string;
  createdOn: number;
  lastUpdatedOn: number;
  attributes: ChangeableAttributes;
}

/** A repository with its manifests by digest and tags by name. */
export interface StoredRepository {
  name: string;
  createdOn: number;
  lastUpdatedOn: number;
  attributes: ChangeableAttributes;
  manifests: Map<string, StoredManifest>;
  tags: Map<string, StoredTag>;
}

const unlocked = (): ChangeableAttributes => ({
  deleteEnabled: true,
  writeEnabled: true,
  listEnabled: true,
  readEnabled: true,
});

/** ACR blocks deletion when either flag is off ("writeEnabled=false or deleteEnabled=false … will block image deletion"). */
const blocksDelete = (a: ChangeableAttributes): boolean => !a.deleteEnabled || !a.writeEnabled;

/**
 * The registry's content and ACR's rules over it: pushing moves a tag to a new manifest, deleting a
 * manifest takes its tags with it, a repository whose last manifest goes is gone, and locks refuse
 * what they lock. Pure state: time comes in as arguments.
 */
export class RegistryStore {
  readonly #repositories = new Map<string, StoredRepository>();

  /** Names of the repositories a catalog lists, in name order. */
  repositoryNames(): string[] {
    return [...this.#repositories.values()]
      .filter((r) => r.attributes.listEnabled)
      .map((r) => r.name)
      .sort();
  }

  repository(name: string): StoredRepository {
    const repository = this.#repositories.get(name);
    if (!repository) throw notFound.repository(name);
    return repository;
  }

  manifest(name: string, digest: string): StoredManifest {
    const manifest = this.repository(name).manifests.get(digest);
    if (!manifest) throw notFound.manifest(name, digest);
    return manifest;
  }

  tag(name: string, tag: string): StoredTag {
    const found = this.repository(name).tags.get(tag);
    if (!found) throw notFound.tag(name, tag);
    return found;
  }

  /** The manifest a tag or a digest names, as `/v2/{name}/manifests/{reference}` takes either. */
  resolve(name: string, reference: string): StoredManifest {
    if (reference.startsWith('sha256:')) return this.manifest(name, reference);
    const tag = this.repository(name).tags.get(reference);
    if (!tag) throw notFound.manifest(name, reference);
    return this.manifest(name, tag.digest);
  }

  /** Names of the tags on a manifest, in name order. */
  tagsOf(repository: StoredRepository, digest: string): string[] {
    return [...repository.tags.values()]
      .filter((t) => t.digest === digest)
      .map((t) => t.name)
      .sort();
  }

  /**
   * Records a pushed image under `tag` (or untagged, pushed by digest), creating the repository if
   * needed; the tag moves off any manifest it named before, which stays, untagged. A locked
   * repository or tag refuses the push, and so does an index listing a manifest the repository lacks.
   */
  push(
    name: string,
    tag: string | undefined,
    content: ImageContent,
    faults: ImageFaults,
    now: number,
  ): StoredManifest {
    const existing = this.#repositories.get(name);
    const previous = tag === undefined ? undefined : existing?.tags.get(tag);
    if (existing && !existing.attributes.writeEnabled) throw disallowed();
    if (previous && !previous.attributes.writeEnabled) throw disallowed();
    const missing = content.references.find((r) => !existing?.manifests.has(r.digest));
    if (missing) throw notFound.manifest(name, missing.digest);

    const repository = existing ?? this.#newRepository(name, now);
    const manifest: StoredManifest = {
      ...content,
      createdOn: now,
      lastUpdatedOn: now,
      attributes: unlocked(),
      faults,
    };
    repository.manifests.set(manifest.digest, manifest);
    repository.lastUpdatedOn = now;
    if (tag === undefined) return manifest;
    repository.tags.set(tag, {
      name: tag,
      digest: manifest.digest,
      createdOn: previous?.createdOn ?? now,
      lastUpdatedOn: now,
      attributes: previous?.attributes ?? unlocked(),
    });
    return manifest;
  }

  /** Applies the given lock flags; the others stay as they are. */
  updateAttributes(
    target: { attributes: ChangeableAttributes; lastUpdatedOn: number },
    patch: Partial<ChangeableAttributes>,
    now: number,
  ): void {
    for (const key of Object.keys(target.attributes) as (keyof ChangeableAttributes)[]) {
      const value = patch[key];
      if (value !== undefined) target.attributes[key] = value;
    }
    target.lastUpdatedOn = now;
  }

  /** Removes a tag; its manifest stays. */
  deleteTag(name: string, tag: string): StoredTag {
    const repository = this.repository(name);
    const found = this.tag(name, tag);
    if (!repository.attributes.writeEnabled || blocksDelete(found.attributes)) throw disallowed();
    repository.tags.delete(tag);
    return found;
  }

  /** Removes the manifest a tag or digest names, and every tag on it. */
  deleteManifest(name: string, reference: string): { manifest: StoredManifest; tags: StoredTag[] } {
    const repository = this.repository(name);
    const manifest = this.resolve(name, reference);
    const tags = [...repository.tags.values()].filter((t) => t.digest === manifest.digest);
    if (
      !repository.attributes.writeEnabled ||
      blocksDelete(manifest.attributes) ||
      tags.some((t) => blocksDelete(t.attributes))
    )
      throw disallowed();
    repository.manifests.delete(manifest.digest);
    for (const t of tags) repository.tags.delete(t.name);
    // An emptied repository is gone: ACR answers NAME_UNKNOWN for it.
    if (repository.manifests.size === 0) this.#repositories.delete(name);
    return { manifest, tags };
  }

  /** Removes a repository with all its manifests and tags, unless it or anything in it is locked. */
  deleteRepository(name: string): StoredRepository {
    const repository = this.repository(name);
    const anyLocked =
      blocksDelete(repository.attributes) ||
      [...repository.manifests.values()].some((m) => blocksDelete(m.attributes)) ||
      [...repository.tags.values()].some((t) => blocksDelete(t.attributes));
    if (anyLocked) throw disallowed();
    this.#repositories.delete(name);
    return repository;
  }

  #newRepository(name: string, now: number): StoredRepository {
    const repository: StoredRepository = {
      name,
      createdOn: now,
      lastUpdatedOn: now,
      attributes: unlocked(),
      manifests: new Map(),
      tags: new Map(),
    };
    this.#repositories.set(name, repository);
    return repository;
  }
}
