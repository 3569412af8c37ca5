import type { TagDecision } from './releaseTags';

/**
 * The manifest media types of something a container runs: Docker's v2 manifest and manifest list,
 * and the OCI image manifest and index. Anything else pushed to a repository (an OCI artifact
 * manifest, a Helm chart, a Docker schema 1 manifest no current runtime pulls) is not an image.
 */
const imageMediaTypes = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);

/**
 * The tags cosign gives what it attaches to an image: `[prefix]<algorithm>-<hex of the signed
 * digest>[.<suffix>]`, where the suffix is `sig`, `att` or `sbom` by default, may be renamed, and is
 * the attachment's name for `cosign attach` (sigstore/cosign `pkg/oci/remote/remote.go`, `normalize`).
 * With no suffix it is also the OCI referrers tag schema's fallback tag. So any tag that ends in a
 * digest written this way, whatever follows the dot, is an attachment.
 */
const attachmentTag = /(?:sha256-([0-9a-f]{64})|sha512-([0-9a-f]{128}))(?:\.[A-Za-z0-9_.-]+)?$/;

/** What is known of a manifest about to be released: its media type and the tag it was pushed or asked for. */
export interface PushedManifest {
  /** Undefined when the source does not tell: ACR's manifest attributes, read for a person's release, do not. */
  mediaType?: string | undefined;
  tag?: string | undefined;
}

/**
 * Whether what was pushed is an image a target could run. Signatures, attestations and SBOMs pushed
 * beside an image (as cosign's digest-named tags) and OCI artifacts never release, whatever a
 * target's tag policy says: releasing one would supersede the real release.
 */
export function decidePushedArtifact(pushed: PushedManifest): TagDecision {
  if (pushed.mediaType !== undefined && !imageMediaTypes.has(mediaTypeOf(pushed.mediaType)))
    return { release: false, reason: `${pushed.mediaType} is not a container image` };
  const tag = pushed.tag ?? '';
  if (attachmentTag.test(tag))
    return {
      release: false,
      reason: `tag "${tag}" names a signature, attestation or other attachment of an image, not an image`,
    };
  return { release: true };
}

/** Media types are case-insensitive and may carry parameters (RFC 6838). */
function mediaTypeOf(text: string): string {
  return (text.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The digest an attachment tag (`sha256-<hex>.sig`, `.att`, `.sbom`, …) names: the image the
 * signature, attestation or SBOM is attached to; undefined for any other tag.
 */
export function subjectOfAttachmentTag(tag: string): string | undefined {
  const match = attachmentTag.exec(tag);
  if (match?.[1] !== undefined) return `sha256:${match[1]}`;
  if (match?.[2] !== undefined) return `sha512:${match[2]}`;
  return undefined;
}
