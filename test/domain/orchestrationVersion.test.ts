import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  compareOrchestrationVersions,
  currentOrchestrationVersion,
  flowVersionFor,
} from '../../src/domain/orchestrationVersion';
import { releaseFlows } from '../../src/orchestrations/releaseFlows';
import { repoRoot } from '../support/testHost';

describe('which flow an orchestration instance runs', () => {
  const rows: [string, string[], string | undefined, string | undefined][] = [
    ['an instance runs the flow of its own version', ['1.0', '2.0'], '1.0', '1.0'],
    ['the newest flow runs new instances', ['1.0', '2.0'], '2.0', '2.0'],
    ['an instance between two changes runs the older flow', ['1.0', '3.0'], '2.0', '1.0'],
    ['an instance from before versioning runs the oldest flow', ['2.0', '1.0'], undefined, '1.0'],
    ['versions order as numbers, not text', ['1.9', '1.10'], '1.10', '1.10'],
    ['an instance older than every flow kept has none', ['2.0'], '1.0', undefined],
  ];
  for (const [rule, introducedIn, version, expected] of rows) {
    it(rule, () => assert.equal(flowVersionFor(introducedIn, version), expected));
  }

  it('refuses a version that is not a number', () => {
    assert.throws(() => compareOrchestrationVersions('1.0', 'next'), /must be numbers/);
  });
});

describe('the orchestration version Shepherd deploys', () => {
  it("is host.json's defaultVersion, with new workers taking older instances and leaving newer ones queued", () => {
    const hostJson = JSON.parse(readFileSync(join(repoRoot, 'host.json'), 'utf8')) as {
      extensionBundle: { version: string };
      extensions: { durableTask: Record<string, string> };
    };
    assert.deepEqual(
      {
        defaultVersion: hostJson.extensions.durableTask.defaultVersion,
        versionMatchStrategy: hostJson.extensions.durableTask.versionMatchStrategy,
        versionFailureStrategy: hostJson.extensions.durableTask.versionFailureStrategy,
      },
      {
        defaultVersion: currentOrchestrationVersion,
        versionMatchStrategy: 'CurrentOrOlder',
        versionFailureStrategy: 'Reject',
      },
    );
    // Orchestration versioning for Node apps needs extension bundle 4.30.0 or later.
    assert.equal(hostJson.extensionBundle.version, '[4.30.0, 5.0.0)');
  });

  it('has a release flow for the version it deploys', () => {
    assert.equal(
      flowVersionFor(Object.keys(releaseFlows), currentOrchestrationVersion),
      currentOrchestrationVersion,
    );
  });
});
