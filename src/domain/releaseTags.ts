import picomatch from 'picomatch';
import semver from 'semver';

/** Which tags of a repository release: a glob (`v*`, `1.*`) or a semver range (`>=2.0.0 <3`). */
export type ReleaseTagPolicy = { glob: string } | { semver: string };

export type TagDecision = { release: true } | { release: false; reason: string };

/**
 * Whether a pushed tag starts a release. A digest-only push (no tag) never does: people release
 * tags, and a tag says what the image is.
 */
export function decideTagRelease(policy: ReleaseTagPolicy, tag: string | undefined): TagDecision {
  if (tag === undefined || tag === '') return { release: false, reason: 'the push has no tag' };
  if ('glob' in policy) {
    return picomatch.isMatch(tag, policy.glob, { dot: true })
      ? { release: true }
      : { release: false, reason: `tag "${tag}" does not match "${policy.glob}"` };
  }
  const version = semver.valid(semver.clean(tag, { loose: true }));
  if (version === null) return { release: false, reason: `tag "${tag}" is not a semantic version` };
  return semver.satisfies(version, policy.semver, { includePrerelease: false })
    ? { release: true }
    : { release: false, reason: `version ${version} is outside "${policy.semver}"` };
}

/** Whether a policy is well formed; for validating targets at start-up. */
export function describePolicyProblem(policy: ReleaseTagPolicy): string | undefined {
  if ('semver' in policy)
    return semver.validRange(policy.semver) === null ? `"${policy.semver}" is not a semver range` : undefined;
  return policy.glob.trim() === '' ? 'the glob is empty' : undefined;
}
