import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Target } from '../../src/config';
import type { ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { failingMetrics } from '../support/fakeReleaseActivities';
import type { FakeReleaseAzure } from '../support/fakeReleaseActivities';
import { ReleaseReplay, newImage, oldImage, pushOf, replayTarget } from '../support/releaseReplay';

const person = { by: 'ana@contoso.example', reason: 'customers report errors' };
/** What a rollback may call once the abort has arrived (telling a running loop to stop first); nothing else may happen after it. */
const rollbackSteps = new Set([
  'stopReleaseLoop',
  'clearTrafficRouting',
  'followSwap',
  'startSwap',
  'recordKnownGood',
  'readProductionImage',
  'notifyPeople',
  'recordAudit',
]);
const database = {
  host: 'contoso-db.postgres.database.azure.com',
  name: 'appdb',
  user: 'shepherd',
  credential: { entra: true },
};

/** The replay of the running test; each test makes its own. */
let replay: ReleaseReplay;
afterEach(() => replay.stop());

/** Runs a release of `newImage` to a target with `fields`, after `arrange` has scripted Azure. */
async function release(
  fields: Record<string, unknown>,
  arrange: (azure: FakeReleaseAzure) => void = () => undefined,
): Promise<ReleaseStatus> {
  replay = new ReleaseReplay();
  arrange(replay.azure);
  return replay.finish(await replay.start(pushOf(replayTarget(fields))));
}

describe('an abort raised while a phase is in flight stops the release at its next step', () => {
  /**
   * Starts a release of `newImage`, holds `activity` in flight the `nth` time it is called, raises a
   * person's abort while it runs, lets it finish, and runs the release to its end.
   */
  async function abortDuring(
    activity: string,
    fields: Record<string, unknown> = {},
    arrange: (azure: FakeReleaseAzure) => void = () => undefined,
  ): Promise<{ status: ReleaseStatus; callsBefore: number }> {
    replay = new ReleaseReplay();
    arrange(replay.azure);
    const gate = replay.azure.hold(activity);
    const id = await replay.start(pushOf(replayTarget(fields)));
    await replay.runUntil(`${activity} to be in flight`, () => gate.entered);
    const callsBefore = replay.azure.calls.length;
    await replay.abort(id, person);
    gate.release();
    return { status: await replay.finish(id), callsBefore };
  }

  /** Nothing but the rollback's own steps was called after the abort arrived. */
  function assertOnlyRollbackAfter(callsBefore: number): void {
    const after = replay.azure.calls.slice(callsBefore).map((c) => c.name);
    assert.deepEqual(
      after.filter((name) => !rollbackSteps.has(name)),
      [],
      `after the abort: ${after.join(', ')}`,
    );
  }

  function assertRolledBackUntouched(status: ReleaseStatus): void {
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.deepEqual(status.abortedBy, person);
    assert.equal(replay.azure.production, oldImage);
    assert.equal(replay.azure.routing, null);
    assert.equal(replay.azure.callsOf('setTrafficShare').length, 0, 'no user ever reached the new image');
  }

  it('queue: while it asks the earlier releases to stop, nothing is deployed', async () => {
    const { status } = await abortDuring('supersedeEarlierReleases');
    assertRolledBackUntouched(status);
    assert.match(
      status.reason ?? '',
      /^aborted by ana@contoso\.example: customers report errors; nothing had been deployed$/,
    );
    assert.equal(replay.azure.callsOf('deployToSlot').length, 0);
  });

  it('backup: while the database is backed up, nothing is deployed', async () => {
    const { status } = await abortDuring('takeBackup', { database });
    assertRolledBackUntouched(status);
    assert.equal(replay.azure.callsOf('deployToSlot').length, 0);
  });

  it('deploy: while the slot takes the image, the release stops before the warm-up', async () => {
    const { status, callsBefore } = await abortDuring('deployToSlot');
    assertRolledBackUntouched(status);
    assertOnlyRollbackAfter(callsBefore);
    assert.equal(replay.azure.callsOf('checkSlotHealth').length, 0);
  });

  it('warm-up: while the slot’s health is checked, no traffic ever moves (the abort is not lost)', async () => {
    const { status, callsBefore } = await abortDuring('checkSlotHealth');
    assertRolledBackUntouched(status);
    assertOnlyRollbackAfter(callsBefore);
    assert.equal(status.trafficPercent, 0);
  });

  it('smoke checks: while they run, no traffic ever moves', async () => {
    const { status, callsBefore } = await abortDuring('runSmokeChecks');
    assertRolledBackUntouched(status);
    assertOnlyRollbackAfter(callsBefore);
  });

  it('approval: while the approval notice is sent, and while the release waits for a person', async () => {
    const approval = { approval: { required: true, timeoutMinutes: 60 } };
    const { status, callsBefore } = await abortDuring('notifyPeople', approval);
    assertRolledBackUntouched(status);
    assertOnlyRollbackAfter(callsBefore);
    replay.stop();

    replay = new ReleaseReplay();
    const id = await replay.start(pushOf(replayTarget(approval)));
    await replay.runUntil('the approval wait', () => replay.customStatus(id).phase === 'awaitingApproval');
    await replay.abort(id, person);
    assertRolledBackUntouched(await replay.finish(id));
  });

  it('canary: while a traffic share is set, the step is taken back and no further step follows', async () => {
    const { status, callsBefore } = await abortDuring('setTrafficShare');
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.deepEqual(status.abortedBy, person);
    assertOnlyRollbackAfter(callsBefore);
    assert.deepEqual(
      replay.azure.routingChanges.map((c) => c.share),
      [10, null],
      'the first step, then no rule at all',
    );
    assert.equal(replay.azure.production, oldImage);
    assert.equal(status.windows.length, 0);
  });

  it('canary: while a window’s metrics are read, and while the release waits for a window to end', async () => {
    const { status, callsBefore } = await abortDuring('readWindowMetrics');
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assertOnlyRollbackAfter(callsBefore);
    assert.equal(replay.azure.routing, null);
    replay.stop();

    replay = new ReleaseReplay();
    const id = await replay.start(pushOf(replayTarget()));
    await replay.runUntil('the first canary step', () => replay.azure.routing === 10);
    await replay.abort(id, person);
    const waited = await replay.finish(id);
    assert.equal(waited.outcome, 'rolledBack');
    assert.equal(replay.azure.routing, null);
    assert.equal(replay.azure.callsOf('readWindowMetrics').length, 0, 'it did not wait for the window');
  });

  it('promote: while the swap is being asked for, the swap is followed to its end and swapped back', async () => {
    const { status, callsBefore } = await abortDuring('startSwap', { strategy: 'blueGreen' });
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assertOnlyRollbackAfter(callsBefore);
    assert.equal(replay.azure.swapsDone.length, 2, 'the swap finished, then production swapped back');
    assert.equal(replay.azure.production, oldImage);
    assert.equal(replay.azure.slot, newImage, 'the slot keeps the image for inspection');
    assert.ok(status.swap?.startedAt);
  });

  it('bake: while production is judged after the swap, production swaps back', async () => {
    const { status, callsBefore } = await abortDuring('readWindowMetrics', {
      strategy: 'blueGreen',
      bakeMinutes: 5,
    });
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assertOnlyRollbackAfter(callsBefore);
    assert.equal(replay.azure.production, oldImage);
    assert.equal(replay.azure.swapsDone.length, 2);
  });

  it('record: while the image is recorded as known good, production swaps back and the record is restored', async () => {
    const { status } = await abortDuring('recordKnownGood', { strategy: 'blueGreen', bakeMinutes: 0 });
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.equal(replay.azure.production, oldImage);
    assert.deepEqual(replay.azure.knownGood, { latest: oldImage }, 'the record is as it was before');
  });

  it('a newer push that supersedes it while its swap is followed ends it superseded, swapped back', async () => {
    replay = new ReleaseReplay();
    const id = await replay.start(pushOf(replayTarget({ strategy: 'blueGreen', bakeMinutes: 5 })));
    await replay.runUntil('the swap to be under way', () => replay.azure.swap !== undefined);
    const newer = 'release:web:333333333333333333333333';
    await replay.abort(id, { by: 'shepherd', reason: `superseded by ${newer}`, supersededBy: newer });
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'superseded', status.reason);
    assert.equal(replay.azure.production, oldImage);
    assert.equal(replay.azure.swapsDone.length, 2, 'the swap finished, then production swapped back');
    assert.equal(replay.azure.routing, null);
  });

  it('done: while the success is being announced, the release is still taken back', async () => {
    replay = new ReleaseReplay();
    const id = await replay.start(pushOf(replayTarget({ strategy: 'blueGreen', bakeMinutes: 0 })));
    const gate = replay.azure.hold('notifyPeople');
    await replay.runUntil('the closing notice', () => gate.entered);
    await replay.abort(id, person);
    gate.release();
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.equal(replay.azure.production, oldImage);
    assert.deepEqual(
      replay.azure.notices.map((n) => n.release.outcome),
      ['succeeded', 'rolledBack'],
    );
  });
});

describe('the swap into production', () => {
  it('takes the canary’s routing rule away before the swap, so after it no rule sends users to the old image', async () => {
    const status = await release({ canary: { steps: [10, 100], intervalMinutes: 1 } });
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.deepEqual(replay.azure.swapsDone, [
      { at: replay.azure.swapsDone[0]?.at, routing: null, production: newImage },
    ]);
    assert.deepEqual(
      replay.azure.routingChanges.map((c) => c.share),
      [10, 100, null],
    );
  });

  it('is asked for once even when the first request timed out after Azure took it, and followed to its end', async () => {
    const status = await release({ strategy: 'blueGreen', bakeMinutes: 0 }, (azure) => {
      azure.failNext('startSwap', { thrownAfter: 'the activity timed out' });
    });
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.equal(replay.azure.swapsDone.length, 1, 'one swap, never a second that would swap back');
    assert.equal(replay.azure.production, newImage);
    assert.ok(replay.azure.callsOf('startSwap').length >= 2);
  });

  it('that fails leaves production on its image, and the release ends failed with the reason', async () => {
    const status = await release({ strategy: 'blueGreen', bakeMinutes: 0 }, (azure) => {
      azure.swapFails = 'the slot did not warm up';
    });
    assert.equal(status.outcome, 'failed');
    assert.match(status.reason ?? '', /the swap failed: the slot did not warm up; rolled back$/);
    assert.equal(replay.azure.production, oldImage);
    assert.equal(replay.azure.swapsDone.length, 0);
    assert.equal(replay.azure.routing, null);
  });
});

describe('retries and a rollback that cannot finish', () => {
  const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - (times[i] ?? 0));

  it('retries 408, 409, 429 and 5xx exponentially later, with jitter, and carries on', async () => {
    const status = await release({ strategy: 'blueGreen', bakeMinutes: 0 }, (azure) => {
      azure.failNext('deployToSlot', { status: 429, reason: 'throttled' });
      azure.failNext('deployToSlot', { status: 503, reason: 'unavailable' });
      azure.failNext('deployToSlot', { status: 409, reason: 'busy' });
    });
    assert.equal(status.outcome, 'succeeded', status.reason);
    const waits = gaps(replay.azure.callsOf('deployToSlot').map((c) => c.at));
    assert.equal(waits.length, 3);
    waits.forEach((wait, i) => {
      const base = 5_000 * 2 ** i;
      assert.ok(wait >= base * 0.8 && wait <= base * 1.2, `wait ${i + 1} was ${wait} ms, around ${base}`);
    });
  });

  it('does not retry a 4xx that repeating cannot change, and says so', async () => {
    const status = await release({}, (azure) => {
      azure.failNext('deployToSlot', { status: 403, reason: 'AuthorizationFailed' });
    });
    assert.equal(status.outcome, 'failed');
    assert.match(status.reason ?? '', /AuthorizationFailed/);
    assert.equal(replay.azure.callsOf('deployToSlot').length, 1);
    assert.equal(replay.azure.production, oldImage);
  });

  it('does not end the release over one failed look at a warming slot', async () => {
    const status = await release({ strategy: 'blueGreen', bakeMinutes: 0 }, (azure) => {
      azure.failNext('checkSlotHealth', { thrown: 'the host name could not be read' });
    });
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.equal(replay.azure.callsOf('checkSlotHealth').length, 2);
  });

  it('retries the rollback’s own steps with backoff and still ends rolled back', async () => {
    const status = await release({}, (azure) => {
      azure.metrics = () => failingMetrics;
      azure.failNext('clearTrafficRouting', { status: 500, reason: 'InternalServerError' }, 3);
    });
    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.equal(replay.azure.callsOf('clearTrafficRouting').length, 4);
    assert.equal(replay.azure.routing, null);
  });

  it('ends as rollbackFailed, urgent, and tells people so when the rollback cannot finish', async () => {
    const status = await release({}, (azure) => {
      azure.metrics = () => failingMetrics;
      azure.failNext('clearTrafficRouting', { status: 503, reason: 'ServiceUnavailable' }, 20);
    });
    assert.equal(status.outcome, 'rollbackFailed', status.reason);
    assert.equal(status.urgent, true);
    assert.match(status.reason ?? '', /a person must check it/);
    const notice = replay.azure.notices.at(-1);
    assert.equal(notice?.urgent, true);
    assert.match(notice.text, /^URGENT: /);
  });

  it('is never called rolled back unless production was read running the previous image', async () => {
    replay = new ReleaseReplay();
    replay.azure.metrics = () => failingMetrics;
    const gate = replay.azure.hold('clearTrafficRouting');
    const id = await replay.start(pushOf(replayTarget()));
    await replay.runUntil('the rollback', () => gate.entered);
    replay.azure.production = 'reg.azurecr.io/contoso/web:hotfix';
    gate.release();
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'rollbackFailed');
    assert.match(status.reason ?? '', /production runs reg\.azurecr\.io\/contoso\/web:hotfix/);
  });
});

describe('an approval wait longer than a durable timer may be', () => {
  const tenDays = {
    approval: { required: true, timeoutMinutes: 10 * 24 * 60 },
    strategy: 'blueGreen',
    bakeMinutes: 0,
  };
  const day = 24 * 3_600_000;

  it('is approved on its eighth day and goes on', async () => {
    replay = new ReleaseReplay();
    const id = await replay.start(pushOf(replayTarget(tenDays)));
    await replay.runUntil('the approval wait', () => replay.customStatus(id).phase === 'awaitingApproval');
    const waitingSince = replay.clock.now();
    await replay.clock.advance(8 * day, () => replay.settle());
    assert.equal(replay.customStatus(id).phase, 'awaitingApproval', 'still waiting after eight days');
    await replay.raise(id, 'approval', { approved: true, by: 'ana' });
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.equal(Date.parse(status.approval?.at ?? '') - waitingSince, 8 * day);
  });

  it('without an answer ends rejected when its ten days are up, not before', async () => {
    replay = new ReleaseReplay();
    const id = await replay.start(pushOf(replayTarget(tenDays)));
    await replay.runUntil('the approval wait', () => replay.customStatus(id).phase === 'awaitingApproval');
    const waitingSince = replay.clock.now();
    const status = await replay.finish(id, 11 * day);
    assert.equal(status.outcome, 'rejected');
    assert.match(status.reason ?? '', /no one approved it within 14400 min/);
    const ended = Date.parse(replay.engine.get(id)?.lastUpdatedTime ?? '');
    assert.ok(ended - waitingSince >= 10 * day, 'it waited the whole ten days');
    assert.equal(replay.azure.callsOf('startSwap').length, 0);
  });
});

describe('the release status', () => {
  it('stays far below Azure’s 16 KB custom status however many windows and however long the reasons', async () => {
    replay = new ReleaseReplay();
    const steps = Array.from({ length: 40 }, (_, i) => (i + 1) * 2.5).map(Math.ceil);
    const target: Target = replayTarget({ canary: { steps, intervalMinutes: 1 }, bakeMinutes: 0 });
    const id = await replay.start(pushOf(target));
    let largest = 0;
    await replay.runUntil('the release to end', () => {
      largest = Math.max(largest, JSON.stringify(replay.customStatus(id)).length);
      return replay.ended(id);
    });
    const output = replay.engine.get(id)?.output as ReleaseStatus;
    assert.equal(output.outcome, 'succeeded');
    assert.equal(output.windows.length, 40, 'the output keeps every window');
    const published = replay.customStatus(id);
    assert.equal(published.windowCount, 40);
    assert.ok(published.windows.length <= 5);
    assert.ok(largest <= 4_096, `the custom status reached ${largest} characters`);
  });

  it('cuts a person’s very long reason in the custom status', async () => {
    replay = new ReleaseReplay();
    const id = await replay.start(pushOf(replayTarget()));
    await replay.runUntil('the canary', () => replay.azure.routing === 10);
    await replay.abort(id, { by: 'ana', reason: 'x'.repeat(50_000) });
    await replay.finish(id);
    assert.ok(JSON.stringify(replay.customStatus(id)).length <= 4_096);
  });
});
