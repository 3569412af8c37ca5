import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decidePushedArtifact, subjectOfAttachmentTag } from '../../src/domain/pushedArtifact';
import type { PushedManifest } from '../../src/domain/pushedArtifact';

const hex = '0123456789abcdef'.repeat(4);
const dockerV2 = 'application/vnd.docker.distribution.manifest.v2+json';

describe('which pushes are images', () => {
  const rows: { rule: string; pushed: PushedManifest; release: boolean; reason?: RegExp }[] = [
    { rule: 'a Docker v2 image', pushed: { mediaType: dockerV2, tag: '1.2.3' }, release: true },
    {
      rule: 'a Docker manifest list',
      pushed: { mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', tag: 'v2' },
      release: true,
    },
    {
      rule: 'an OCI image manifest',
      pushed: { mediaType: 'application/vnd.oci.image.manifest.v1+json', tag: 'v2' },
      release: true,
    },
    {
      rule: 'an OCI image index',
      pushed: { mediaType: 'application/vnd.oci.image.index.v1+json', tag: 'v2' },
      release: true,
    },
    {
      rule: 'an image media type in another case, with a parameter',
      pushed: { mediaType: 'Application/VND.OCI.Image.Manifest.v1+json; charset=utf-8', tag: 'v2' },
      release: true,
    },
    { rule: 'an image pushed by digest alone', pushed: { mediaType: dockerV2 }, release: true },
    {
      rule: 'a tag that merely contains "sha256"',
      pushed: { mediaType: dockerV2, tag: 'build-sha256-fix' },
      release: true,
    },
    {
      rule: 'a tag ending in a digest one hex digit short',
      pushed: { mediaType: dockerV2, tag: `sha256-${hex.slice(1)}.sig` },
      release: true,
    },
    {
      rule: "a cosign signature's tag",
      pushed: { mediaType: dockerV2, tag: `sha256-${hex}.sig` },
      release: false,
      reason: /names a signature, attestation or other attachment/,
    },
    {
      rule: "a cosign attestation's tag, pushed as an OCI image manifest",
      pushed: { mediaType: 'application/vnd.oci.image.manifest.v1+json', tag: `sha256-${hex}.att` },
      release: false,
    },
    {
      rule: "a cosign SBOM's tag",
      pushed: { mediaType: dockerV2, tag: `sha256-${hex}.sbom` },
      release: false,
    },
    {
      rule: 'a cosign attachment named by `cosign attach`',
      pushed: { mediaType: dockerV2, tag: `sha256-${hex}.provenance` },
      release: false,
    },
    {
      rule: 'a cosign tag with an --attachment-tag-prefix',
      pushed: { mediaType: dockerV2, tag: `signed-sha256-${hex}.sig` },
      release: false,
    },
    {
      rule: 'the OCI referrers fallback tag (no suffix)',
      pushed: { mediaType: 'application/vnd.oci.image.index.v1+json', tag: `sha256-${hex}` },
      release: false,
    },
    {
      rule: 'a tag named after a sha512 digest',
      pushed: { mediaType: dockerV2, tag: `sha512-${hex}${hex}.sig` },
      release: false,
    },
    {
      rule: 'an OCI artifact manifest',
      pushed: { mediaType: 'application/vnd.oci.artifact.manifest.v1+json', tag: 'v1' },
      release: false,
      reason: /^application\/vnd\.oci\.artifact\.manifest\.v1\+json is not a container image$/,
    },
    {
      rule: 'a Helm chart',
      pushed: { mediaType: 'application/vnd.cncf.helm.config.v1+json', tag: '0.1.0' },
      release: false,
    },
    {
      rule: 'an ORAS artifact',
      pushed: { mediaType: 'application/vnd.cncf.oras.artifact.manifest.v1+json', tag: 'v1' },
      release: false,
    },
    {
      rule: 'a Docker schema 1 manifest, which current runtimes no longer pull',
      pushed: { mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws', tag: 'v1' },
      release: false,
    },
    { rule: 'an empty media type', pushed: { mediaType: '', tag: 'v1' }, release: false },
    {
      rule: 'a tag whose media type is not known, on its tag alone',
      pushed: { tag: '2.0.0' },
      release: true,
    },
    {
      rule: "a signature's tag whose media type is not known",
      pushed: { tag: `sha256-${hex}.sig` },
      release: false,
    },
  ];
  for (const r of rows) {
    it(`${r.release ? 'releases' : 'never releases'} ${r.rule}`, () => {
      const decision = decidePushedArtifact(r.pushed);
      assert.equal(decision.release, r.release, JSON.stringify(decision));
      if (!decision.release && r.reason) assert.match(decision.reason, r.reason);
    });
  }
});

describe('the image an attachment tag names', () => {
  const hex = 'ab'.repeat(32);
  it('reads the digest from cosign signature, attestation and SBOM tags', () => {
    for (const tag of [`sha256-${hex}.sig`, `sha256-${hex}.att`, `sha256-${hex}.sbom`, `sha256-${hex}`])
      assert.equal(subjectOfAttachmentTag(tag), `sha256:${hex}`, tag);
  });
  it('names nothing for an ordinary tag or a digest of the wrong length', () => {
    assert.equal(subjectOfAttachmentTag('1.2.0'), undefined);
    assert.equal(subjectOfAttachmentTag(`sha256-${hex.slice(2)}.sig`), undefined);
  });
});
