import { createHash, randomUUID } from 'node:crypto';
import type { ImageFaults } from '../imageFaults';

const manifestMediaType = 'application/vnd.docker.distribution.manifest.v2+json';
const indexMediaType = 'application/vnd.oci.image.index.v1+json';
const configMediaType = 'application/vnd.docker.container.image.v1+json';
const layerMediaType = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/**
 * The one layer every sandbox image claims to have. No layer bytes exist; the size only makes
 * `imageSize` look like an image's rather than a manifest's.
 */
const layerSize = 27_145_915;

/** What a push records about the image content: the manifest's digest and sizes, and the platform. */
export interface ImageContent {
  digest: string;
  /** Bytes of the manifest document, as the push webhook's `size` and `length` report it. */
  manifestSize: number;
  /** Manifest, config and layers together, as ACR's `imageSize` reports it. */
  imageSize: number;
  mediaType: string;
  architecture: string;
  os: string;
  /** The platform images an index lists, as ACR's manifest attributes give them (`references`); empty for an image. */
  references: PlatformReference[];
  /** The manifest document itself, as `GET /v2/<name>/manifests/<digest>` answers it. */
  document: string;
}

/** One platform image an index lists. */
export interface PlatformReference {
  digest: string;
  architecture: string;
  os: string;
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/**
 * Makes up the manifest of a newly pushed image. Its config carries a fresh id, so every push,
 * even of the same tag with the same faults, has a digest of its own, as a rebuild does.
 */
export function newImageContent(
  repository: string,
  tag: string,
  faults: ImageFaults,
  architecture = 'amd64',
): ImageContent {
  const os = 'linux';
  const config = JSON.stringify({
    architecture,
    os,
    config: {
      Labels: { 'sandbox.repository': repository, 'sandbox.tag': tag, 'sandbox.build': randomUUID() },
    },
    sandboxFaults: faults,
  });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: { mediaType: configMediaType, size: config.length, digest: sha256(config) },
    layers: [{ mediaType: layerMediaType, size: layerSize, digest: sha256(`layer of ${config}`) }],
  });
  return {
    digest: sha256(manifest),
    manifestSize: Buffer.byteLength(manifest),
    imageSize: Buffer.byteLength(manifest) + Buffer.byteLength(config) + layerSize,
    mediaType: manifestMediaType,
    architecture,
    os,
    references: [],
    document: manifest,
  };
}

/**
 * Makes up an OCI image index listing `platforms`. ACR gives an index no architecture or OS of its
 * own, and an image size of the index document alone.
 */
export function newIndexContent(platforms: PlatformReference[]): ImageContent {
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: indexMediaType,
    manifests: platforms.map((p) => ({
      mediaType: manifestMediaType,
      digest: p.digest,
      platform: { architecture: p.architecture, os: p.os },
    })),
    annotations: { 'sandbox.build': randomUUID() },
  });
  return {
    digest: sha256(index),
    manifestSize: Buffer.byteLength(index),
    imageSize: Buffer.byteLength(index),
    mediaType: indexMediaType,
    architecture: '',
    os: '',
    references: platforms,
    document: index,
  };
}

const ociManifestMediaType = 'application/vnd.oci.image.manifest.v1+json';
/** What Notation's signatures say they are. */
export const notarySignatureType = 'application/vnd.cncf.notary.signature';

/**
 * Makes up an OCI artifact that refers to `subject` (a signature, an attestation, an SBOM), as
 * Notation and `oras attach` push one: untagged, its `subject` naming the manifest it is about.
 */
export function newReferrerContent(
  subject: { digest: string; mediaType: string; size: number },
  artifactType = notarySignatureType,
): ImageContent {
  const blob = JSON.stringify({ signed: subject.digest, at: randomUUID() });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: ociManifestMediaType,
    artifactType,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2, digest: sha256('{}') },
    layers: [{ mediaType: artifactType, size: blob.length, digest: sha256(blob) }],
    subject,
  });
  return {
    digest: sha256(manifest),
    manifestSize: Buffer.byteLength(manifest),
    imageSize: Buffer.byteLength(manifest) + blob.length,
    mediaType: ociManifestMediaType,
    architecture: '',
    os: '',
    references: [],
    document: manifest,
  };
}
