import type { ChangeableAttributes, StoredManifest, StoredRepository, StoredTag } from './store';

// The JSON bodies of ACR's `/acr/v1` API (2021-07-01), keyed and ordered as the published examples
// (GetManifestAttributes, GetManifestList, GetTagList); the SDK maps them to its `*Properties`.

const iso = (ms: number): string => new Date(ms).toISOString();

const toChangeableAttributes = (a: ChangeableAttributes): ChangeableAttributes => ({
  deleteEnabled: a.deleteEnabled,
  writeEnabled: a.writeEnabled,
  readEnabled: a.readEnabled,
  listEnabled: a.listEnabled,
});

/** A repository's properties, as `GET /acr/v1/{name}` answers them. */
export function toRepositoryAttributes(
  registry: string,
  repository: StoredRepository,
): Record<string, unknown> {
  return {
    registry,
    imageName: repository.name,
    createdTime: iso(repository.createdOn),
    lastUpdateTime: iso(repository.lastUpdatedOn),
    manifestCount: repository.manifests.size,
    tagCount: repository.tags.size,
    changeableAttributes: toChangeableAttributes(repository.attributes),
  };
}

/** One tag, as `_tags` lists it and `_tags/{tag}` wraps it. */
export function toTagAttributes(tag: StoredTag): Record<string, unknown> {
  return {
    name: tag.name,
    digest: tag.digest,
    createdTime: iso(tag.createdOn),
    lastUpdateTime: iso(tag.lastUpdatedOn),
    changeableAttributes: toChangeableAttributes(tag.attributes),
  };
}

/**
 * One manifest, as `_manifests` lists it; `tags` is left out for an untagged one, as ACR leaves it
 * out, and `references` (the platform images) is there only for an index.
 */
export function toManifestAttributes(manifest: StoredManifest, tags: string[]): Record<string, unknown> {
  return {
    digest: manifest.digest,
    imageSize: manifest.imageSize,
    createdTime: iso(manifest.createdOn),
    lastUpdateTime: iso(manifest.lastUpdatedOn),
    ...(manifest.architecture !== '' ? { architecture: manifest.architecture, os: manifest.os } : {}),
    ...(manifest.references.length > 0 ? { references: manifest.references.map((r) => ({ ...r })) } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    changeableAttributes: toChangeableAttributes(manifest.attributes),
  };
}
