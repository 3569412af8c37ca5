import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideTagRelease, describePolicyProblem } from '../../src/domain/releaseTags';
import type { ReleaseTagPolicy } from '../../src/domain/releaseTags';

describe('which tags release', () => {
  const rows: { policy: ReleaseTagPolicy; tag: string | undefined; release: boolean; reason?: RegExp }[] = [
    { policy: { glob: '*' }, tag: '1.2.3', release: true },
    { policy: { glob: 'v*' }, tag: 'v2.0.0', release: true },
    { policy: { glob: 'v*' }, tag: '2.0.0', release: false, reason: /does not match "v\*"/ },
    { policy: { glob: 'release-{1,2}.*' }, tag: 'release-2.7', release: true },
    { policy: { glob: '*' }, tag: undefined, release: false, reason: /no tag/ },
    { policy: { semver: '>=2.0.0 <3' }, tag: '2.4.1', release: true },
    { policy: { semver: '>=2.0.0 <3' }, tag: 'v2.4.1', release: true },
    { policy: { semver: '>=2.0.0 <3' }, tag: '3.0.0', release: false, reason: /outside ">=2.0.0 <3"/ },
    { policy: { semver: '>=2.0.0 <3' }, tag: '2.5.0-rc.1', release: false, reason: /outside/ },
    { policy: { semver: '*' }, tag: 'latest', release: false, reason: /not a semantic version/ },
  ];
  for (const r of rows) {
    it(`${JSON.stringify(r.policy)} ${r.release ? 'releases' : 'ignores'} ${r.tag ?? 'a digest-only push'}`, () => {
      const decision = decideTagRelease(r.policy, r.tag);
      assert.equal(decision.release, r.release);
      if (!decision.release && r.reason) assert.match(decision.reason, r.reason);
    });
  }

  it('names a malformed policy', () => {
    assert.match(describePolicyProblem({ semver: 'not a range' }) ?? '', /not a semver range/);
    assert.match(describePolicyProblem({ glob: ' ' }) ?? '', /empty/);
    assert.equal(describePolicyProblem({ semver: '^1.2.0' }), undefined);
  });
});
