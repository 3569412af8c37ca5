import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { AuditEntry } from '../../src/domain/auditEntry';
import type { AbortRequest, ReleaseInput, ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { doubtfulMetrics, failingMetrics } from '../support/fakeReleaseActivities';
import type { FakeReleaseAzure } from '../support/fakeReleaseActivities';
import { ReleaseReplay, newImage, pushOf, replayTarget } from '../support/releaseReplay';

/** The replay of the running test; each test makes its own. */
let replay: ReleaseReplay;
afterEach(() => replay.stop());

const releaseId = 'release:web:222222222222222222222222';

/** Runs the release `input` to its end, after `arrange` has scripted Azure. */
async function run(
  input: ReleaseInput,
  arrange: (azure: FakeReleaseAzure) => void = () => undefined,
): Promise<ReleaseStatus> {
  replay = new ReleaseReplay();
  arrange(replay.azure);
  return replay.finish(await replay.start(input));
}

/** Each entry as [action, outcome, who asked]. */
function steps(trail: AuditEntry[]): [string, string, string][] {
  return trail.map((e) => [e.action, e.outcome, e.by.kind]);
}

describe('the audit trail of a release', () => {
  it('records a failed canary: started by the push, each failed verdict (the first repeats the step), the rollback by Shepherd with the gate’s reason, the end', async () => {
    const status = await run(pushOf(replayTarget()), (azure) => (azure.metrics = () => doubtfulMetrics));
    assert.equal(status.outcome, 'rolledBack', status.reason);
    const trail = replay.azure.trail();
    assert.deepEqual(steps(trail), [
      ['release.started', 'started', 'push'],
      ['release.window', 'fail', 'shepherd'],
      ['release.window', 'fail', 'shepherd'],
      ['release.rollback', 'succeeded', 'shepherd'],
      ['release.ended', 'rolledBack', 'push'],
    ]);
    const [started, first, second, rollback, ended] = trail;
    assert.deepEqual(started?.by, { kind: 'push', image: 'reg.azurecr.io/contoso/web:2.0.0' });
    assert.equal(started.detail, `release of ${newImage}`);
    for (const window of [first, second]) {
      assert.match(
        window?.detail ?? '',
        /^step 1 \(10%\): 5xx rate 1\.60% is over production’s 0\.00% by at least 0\.83%/,
      );
      assert.match(
        window?.detail ?? '',
        /\[5xx over production at least \d+\.\d\d points \(95% confidence\)\]$/,
        'the bound behind the comparison with production',
      );
    }
    assert.match(
      rollback?.detail ?? '',
      /^step 1 \(10%\): 2 failed window\(s\) reached the limit of 2; 5xx rate .*; no user is routed to the slot$/,
    );
    assert.equal(ended?.detail, status.reason);
    // Ids come from the release and a counter, times keep the order: the same on every replay.
    assert.deepEqual(
      trail.map((e) => e.id),
      [1, 2, 3, 4, 5].map((n) => `${releaseId}:${n}`),
    );
    trail.slice(1).forEach((e, i) => assert.ok(e.at > (trail[i]?.at ?? ''), `${e.id} after the one before`));
    for (const e of trail) {
      assert.deepEqual(e.subject, { kind: 'target', name: 'web' });
      assert.deepEqual(e.operation, { kind: 'release', id: releaseId });
    }
  });

  it('writes a failed verdict only once users are off the bad image, so the trail never delays the relief', async () => {
    await run(pushOf(replayTarget()), (azure) => (azure.metrics = () => failingMetrics));
    const names = replay.azure.calls.map((c) => c.name);
    const verdictWritten = replay.azure.calls.findIndex(
      (c) =>
        c.name === 'recordAudit' && (c.input as unknown as AuditEntry[]).some((e) => e.outcome === 'fail'),
    );
    const relief = names.indexOf('clearTrafficRouting');
    assert.ok(relief >= 0 && verdictWritten > relief, names.join(', '));
  });

  const stoppers: [string, AbortRequest, AuditEntry['by'], RegExp][] = [
    [
      'a person, by name, with the reason',
      { by: 'ana@contoso.example', reason: 'customers report errors' },
      { kind: 'person', name: 'ana@contoso.example' },
      /^aborted by ana@contoso\.example: customers report errors; no user is routed to the slot$/,
    ],
    [
      'an alert, by its rule',
      { by: 'azure-monitor', reason: 'alert web-5xx fired', alertRule: 'web-5xx' },
      { kind: 'alert', rule: 'web-5xx' },
      /^aborted by azure-monitor: alert web-5xx fired; /,
    ],
    [
      'a newer release, as Shepherd',
      { by: 'shepherd', reason: 'superseded by release:web:3', supersededBy: 'release:web:3' },
      { kind: 'shepherd' },
      /^aborted by shepherd: superseded by release:web:3; /,
    ],
  ];
  for (const [who, request, by, detail] of stoppers) {
    it(`records who stopped it and why: ${who}`, async () => {
      replay = new ReleaseReplay();
      const id = await replay.start(pushOf(replayTarget()));
      await replay.runUntil('the first canary step', () => replay.azure.routing === 10);
      await replay.abort(id, request);
      await replay.finish(id);
      const rollback = replay.azure.trail().find((e) => e.action === 'release.rollback');
      assert.deepEqual(rollback?.by, by);
      assert.match(rollback.detail, detail);
    });
  }

  it('records a promoted release: who approved it, every verdict, the swap, the bake and the end', async () => {
    replay = new ReleaseReplay();
    const target = replayTarget({ approval: { required: true, timeoutMinutes: 60 } });
    const id = await replay.start(pushOf(target));
    await replay.runUntil('the approval wait', () => replay.customStatus(id).phase === 'awaitingApproval');
    await replay.raise(id, 'approval', { approved: true, by: 'ana', reason: 'looks good' });
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'succeeded', status.reason);
    const trail = replay.azure.trail();
    assert.deepEqual(steps(trail), [
      ['release.started', 'started', 'push'],
      ['release.approval', 'approved', 'person'],
      ['release.window', 'pass', 'shepherd'],
      ['release.window', 'pass', 'shepherd'],
      ['release.window', 'pass', 'shepherd'],
      ['release.promoted', 'succeeded', 'shepherd'],
      ['release.window', 'pass', 'shepherd'],
      ['release.ended', 'succeeded', 'push'],
    ]);
    const approval = trail[1];
    assert.deepEqual(approval?.by, { kind: 'person', name: 'ana' });
    assert.equal(approval.detail, 'looks good');
    assert.equal(trail[5]?.at, status.swap?.finishedAt);
    assert.match(trail[6]?.detail ?? '', /^bake: /);
  });

  it('records a rollback a person or an alert asked for as started by them', async () => {
    const alert = { by: 'azure-monitor', reason: 'alert web-5xx fired', alertRule: 'web-5xx' };
    const status = await run({
      kind: 'rollback',
      releaseId: 'release:web:rollback-0001',
      target: replayTarget(),
      requestedBy: alert,
    });
    // Production already runs the only known good image: there is nothing to put back.
    assert.equal(status.outcome, 'refused', status.reason);
    assert.deepEqual(
      replay.azure.trail().map((e) => [e.action, e.outcome, e.by, e.detail]),
      [
        [
          'release.started',
          'started',
          { kind: 'alert', rule: 'web-5xx' },
          'rollback to the last known good image: alert web-5xx fired',
        ],
        ['release.ended', 'refused', { kind: 'alert', rule: 'web-5xx' }, status.reason],
      ],
    );
  });

  it('writes an entry again with the same id and time after a write that timed out, so it stays one entry', async () => {
    await run(pushOf(replayTarget({ strategy: 'blueGreen', bakeMinutes: 0 })), (azure) =>
      azure.failNext('recordAudit', { thrownAfter: 'the activity timed out' }, 2),
    );
    const writes = replay.azure.callsOf('recordAudit').flatMap((c) => c.input as unknown as AuditEntry[]);
    const timesById = new Map<string, Set<string>>();
    for (const e of writes) timesById.set(e.id, (timesById.get(e.id) ?? new Set()).add(e.at));
    assert.ok(writes.length > timesById.size, 'some entries were written twice');
    for (const [id, times] of timesById) assert.equal(times.size, 1, `${id} was written at one time`);
    assert.equal(replay.azure.trail().length, timesById.size);
  });
});

describe('an audit trail that cannot be written', () => {
  /** What a release did, besides writing its audit trail. */
  function whatItDid(status: ReleaseStatus): unknown {
    return {
      outcome: status.outcome,
      reason: status.reason,
      // A write that is retried starts the watch seconds later: when it found the fault, and how many
      // probes it had sent by then, follow the clock; what it found does not.
      windows: status.windows.map(({ judgedAt, severeFault, ...window }) =>
        severeFault === undefined
          ? { ...window, judgedAt }
          : { ...window, severeFault: { ...severeFault, probesSent: undefined } },
      ),
      production: replay.azure.production,
      routing: replay.azure.routingChanges.map((c) => c.share),
      swaps: replay.azure.swapsDone.length,
      knownGood: replay.azure.knownGood,
      notices: replay.azure.notices.map((n) => n.text),
      // The watch's probes and reads follow the clock: a retried write moves them by seconds.
      calls: replay.azure.calls
        .filter((c) => !['recordAudit', 'probeSlot', 'readWindowMetrics'].includes(c.name))
        .map((c) => c.name),
    };
  }

  const releases: [string, (azure: FakeReleaseAzure) => void][] = [
    ['a canary that goes out', () => undefined],
    ['a canary that fails its first window', (azure) => (azure.metrics = () => failingMetrics)],
    ['a swap that fails', (azure) => (azure.swapFails = 'the slot did not warm up')],
  ];
  const failures: [string, (azure: FakeReleaseAzure) => void][] = [
    ['the activity fails every time', (azure) => azure.failNext('recordAudit', { thrown: 'host died' }, 99)],
    [
      'Table storage refuses it',
      (azure) =>
        azure.failNext('recordAudit', { status: 403, reason: 'AuthorizationPermissionMismatch' }, 99),
    ],
    [
      'Table storage is unavailable',
      (azure) => azure.failNext('recordAudit', { status: 503, reason: 'ServerBusy' }, 99),
    ],
  ];
  for (const [what, arrange] of releases) {
    for (const [failure, fail] of failures) {
      it(`changes nothing in ${what} when ${failure}`, async () => {
        const expected = whatItDid(await run(pushOf(replayTarget()), arrange));
        replay.stop();
        const status = await run(pushOf(replayTarget()), (azure) => {
          arrange(azure);
          fail(azure);
        });
        assert.deepEqual(whatItDid(status), expected);
        assert.deepEqual(replay.azure.trail(), []);
        assert.ok(replay.azure.callsOf('recordAudit').length > 0, 'it tried');
      });
    }
  }

  it('changes nothing in a release a person stops when the trail is down', async () => {
    const stopAtFirstStep = async (fail: boolean): Promise<unknown> => {
      replay = new ReleaseReplay();
      if (fail) replay.azure.failNext('recordAudit', { thrown: 'host died' }, 99);
      const id = await replay.start(pushOf(replayTarget()));
      await replay.runUntil('the first canary step', () => replay.azure.routing === 10);
      await replay.abort(id, { by: 'ana', reason: 'customers report errors' });
      const status = await replay.finish(id);
      const result = whatItDid(status);
      replay.stop();
      return result;
    };
    const expected = await stopAtFirstStep(false);
    assert.deepEqual(await stopAtFirstStep(true), expected);
  });
});
