import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  approvalMessage,
  freezeMessage,
  rollbackMessage,
  unfreezeMessage,
} from '../../src/cli/actionMessages';
import { problemText } from '../../src/cli/problemText';
import { ApiProblem } from '../../src/cli/shepherdApi';

const freeze = {
  scope: { kind: 'environment', name: 'staging' },
  source: 'manual',
  reason: 'load test',
  releasesRunning: [] as string[],
};

describe('action messages', () => {
  it('says a release was approved and how to follow it, or rejected', () => {
    assert.equal(
      approvalMessage({ approved: 'r1' }),
      'Approved release r1: traffic moves on. Follow it with: shepherd status r1\n',
    );
    assert.equal(
      approvalMessage({ rejected: 'r1' }),
      'Rejected release r1: it ends without moving traffic.\n',
    );
  });

  it('says which running releases a rollback stops, or which release puts the known-good image back', () => {
    assert.equal(
      rollbackMessage('web', { aborted: ['r1'] }),
      'Stopping release r1 of web: it rolls back. Follow it with: shepherd status r1\n',
    );
    assert.equal(
      rollbackMessage('web', { rollingBack: 'r9' }),
      'No release of web was running: release r9 puts the last known-good image back in production. Follow it with: shepherd status r9\n',
    );
  });

  it('says a freeze was set or changed, until when, and which releases may finish', () => {
    assert.equal(
      freezeMessage('staging', 201, { freeze }),
      'Froze the staging environment: load test. Pushes are refused and recorded; rollbacks still run.\n',
    );
    assert.equal(
      freezeMessage('staging', 200, {
        freeze: { ...freeze, until: '2030-01-01T00:00:00Z', releasesRunning: ['r1'] },
      }),
      'Changed the freeze of the staging environment until 2030-01-01T00:00:00Z: load test. Pushes are refused and recorded; rollbacks still run. Releases already running may finish: r1.\n',
    );
  });

  it('says which freezes were lifted and which the setting keeps', () => {
    assert.equal(
      unfreezeMessage('staging', {
        lifted: [
          freeze,
          { ...freeze, scope: { kind: 'target', name: 'api' }, source: 'alert', reason: 'alert fired' },
        ],
        kept: ['the SHEPHERD_FROZEN_ENVIRONMENTS setting freezes it; change the setting to lift that freeze'],
      }),
      [
        'Lifted the manual freeze of the staging environment (load test).',
        'Lifted the alert freeze of target api (alert fired).',
        'Kept: the SHEPHERD_FROZEN_ENVIRONMENTS setting freezes it; change the setting to lift that freeze.',
        '',
      ].join('\n'),
    );
  });
});

describe('problemText', () => {
  it('gives the title, status and detail, and each field named wrong on its own line', () => {
    const problem = new ApiProblem(400, 'Bad Request', 'A freeze needs a reason.', [
      { path: 'reason', message: 'Required' },
      { path: '', message: 'expected an object' },
    ]);
    assert.equal(
      problemText(problem),
      'shepherd: Bad Request (400): A freeze needs a reason.\n  reason: Required\n  (body): expected an object\n',
    );
  });

  it('gives the title and status alone when there is no detail', () => {
    assert.equal(
      problemText(new ApiProblem(503, 'Service Unavailable', undefined, [])),
      'shepherd: Service Unavailable (503)\n',
    );
  });
});
