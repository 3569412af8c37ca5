import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { releaseInstanceId } from '../../src/domain/releaseId';
import { publishedStatus } from '../../src/orchestrations/release/publishedStatus';
import { fitsCustomStatus } from '../../src/orchestrations/customStatusLimit';
import type { ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { counts, failingMetrics } from '../support/fakeReleaseActivities';
import type { FakeReleaseAzure, Gate } from '../support/fakeReleaseActivities';
import { ReleaseReplay, newImage, oldImage, pushOf, replayTarget } from '../support/releaseReplay';

const digest = `sha256:${'2'.repeat(64)}`;
const sourceId = 'release:web:222222222222222222222222';
const promotedId = releaseInstanceId('web-prod', digest);
const prod = {
  name: 'web-prod',
  site: { subscriptionId: '00000000-0000-0000-0000-00000000aaaa', resourceGroup: 'rg', name: 'web-prod' },
  registry: { loginServer: 'reg.azurecr.io', repository: 'contoso/web' },
};
/** A third of the requests fail. */
const failing = counts(500, 170);
const person = { by: 'ana@contoso.example', reason: 'staging shows errors after all' };

/** The replay of the running test; each test makes its own. */
let replay: ReleaseReplay;
afterEach(() => replay.stop());

/** Runs a release of `newImage` to `web`, which promotes to `web-prod`, after `arrange` has scripted Azure. */
async function releaseOfChain(
  fields: Record<string, unknown> = {},
  arrange: (azure: FakeReleaseAzure) => void = () => undefined,
  frozen = false,
): Promise<ReleaseStatus> {
  replay = new ReleaseReplay();
  arrange(replay.azure);
  const input = { ...pushOf(replayTarget({ promotesTo: 'web-prod', ...fields }, [prod])), frozen };
  return replay.finish(await replay.start(input));
}

describe('a release on a target that promotes to another', () => {
  it('hands its digest on to the next target once it has succeeded, bake included, and says where it went', async () => {
    const status = await releaseOfChain();
    assert.equal(status.outcome, 'succeeded', status.reason);
    const [promotion] = replay.azure.callsOf('promoteImage');
    const lastBakeRead = replay.azure.callsOf('readWindowMetrics').at(-1);
    assert.ok(
      promotion && lastBakeRead && promotion.at >= lastBakeRead.at,
      'promoted after the bake was judged',
    );
    assert.deepEqual(promotion.input, {
      from: { target: 'web', releaseId: sourceId },
      to: 'web-prod',
      image: newImage,
      tag: '2.0.0',
      digest,
    });
    assert.deepEqual(status.promotedTo, { target: 'web-prod', releaseId: promotedId });
    assert.deepEqual(replay.azure.trail().at(-1), {
      id: `${sourceId}:${replay.azure.trail().length}`,
      at: replay.azure.trail().at(-1)?.at,
      action: 'release.promotion',
      by: { kind: 'push', image: 'reg.azurecr.io/contoso/web:2.0.0' },
      outcome: 'started',
      detail: `${newImage} promoted to web-prod: release ${promotedId} started`,
      subject: { kind: 'target', name: 'web' },
      operation: { kind: 'release', id: sourceId },
    });
  });

  it('starts exactly one release on the next target even when the promoting activity runs twice', async () => {
    const status = await releaseOfChain({}, (azure) => {
      // The first run starts the release and then times out, so the release runs it again.
      azure.failNext('promoteImage', { thrownAfter: 'the activity timed out' });
    });
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.equal(replay.azure.callsOf('promoteImage').length, 2);
    assert.deepEqual([...replay.azure.promoted.keys()], [promotedId]);
    assert.deepEqual(status.promotedTo, { target: 'web-prod', releaseId: promotedId });
    assert.match(replay.azure.trail().at(-1)?.detail ?? '', /release .* found already there$/);
  });

  const ended: {
    how: string;
    fields?: Record<string, unknown>;
    arrange?: (azure: FakeReleaseAzure) => void;
    frozen?: boolean;
    outcome: string;
    reason?: RegExp;
  }[] = [
    {
      how: 'rolled back by a failing canary',
      arrange: (a) => (a.metrics = () => failingMetrics),
      outcome: 'rolledBack',
    },
    {
      how: 'rolled back by a failing bake',
      fields: { strategy: 'blueGreen' },
      // Production fails as the slot does once it runs the new image.
      arrange: (a) => (a.metrics = () => ({ slot: failing, production: failing })),
      outcome: 'rolledBack',
      reason: /^production failed its bake/,
    },
    {
      how: 'failed in its smoke checks',
      arrange: (a) => (a.smokeFailures = ['/ answered 500']),
      outcome: 'failed',
    },
    { how: 'refused by a freeze', frozen: true, outcome: 'refused' },
  ];
  for (const row of ended)
    it(`promotes nothing when ${row.how}`, async () => {
      const status = await releaseOfChain(row.fields, row.arrange, row.frozen);
      assert.equal(status.outcome, row.outcome, status.reason);
      if (row.reason) assert.match(status.reason ?? '', row.reason);
      assert.deepEqual(replay.azure.callsOf('promoteImage'), []);
      assert.equal(status.promotedTo, undefined);
      assert.equal(replay.azure.production, oldImage);
    });

  it('promotes nothing when a person rejects it', async () => {
    replay = new ReleaseReplay();
    const target = replayTarget({ promotesTo: 'web-prod', approval: { required: true } }, [prod]);
    const id = await replay.start(pushOf(target));
    await replay.runUntil('the approval wait', () => replay.customStatus(id).phase === 'awaitingApproval');
    await replay.raise(id, 'approval', { approved: false, by: 'ana' });
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'rejected');
    assert.deepEqual(replay.azure.callsOf('promoteImage'), []);
  });
});

describe('an abort arriving while the promotion activity runs', () => {
  it('stops the release it promoted to, then rolls this one back, and says both', async () => {
    replay = new ReleaseReplay();
    const gate = replay.azure.hold('promoteImage');
    const id = await replay.start(pushOf(replayTarget({ promotesTo: 'web-prod' }, [prod])));
    await replay.runUntil('the promotion to be in flight', () => gate.entered);
    assert.equal(replay.azure.production, newImage, 'the release had succeeded');
    await replay.abort(id, person);
    gate.release();
    const status = await replay.finish(id);

    assert.equal(status.outcome, 'rolledBack', status.reason);
    assert.deepEqual(status.abortedBy, person);
    assert.equal(replay.azure.production, oldImage, 'the person who asked gets the old image back');
    assert.deepEqual(status.promotedTo, { target: 'web-prod', releaseId: promotedId });
    assert.deepEqual(replay.azure.promotedStopped, [
      {
        releaseId: promotedId,
        request: { by: person.by, reason: `web took back the image it promoted: ${person.reason}` },
      },
    ]);
    const stopAt = replay.azure.callsOf('stopPromotedRelease')[0]?.at ?? Infinity;
    const swapBackAt = replay.azure.callsOf('startSwap').at(-1)?.at ?? -Infinity;
    assert.ok(stopAt <= swapBackAt, 'the promoted release is stopped before this one swaps back');
    assert.match(
      status.reason ?? '',
      /^aborted by ana@contoso\.example: .*; release:web-prod:\w+ on web-prod was asked to stop$/,
    );
  });
});

describe('a rollback of a target that promotes to another', () => {
  const asked = { by: 'ana@contoso.example', reason: 'staging breaks checkout' };
  /** Starts a rollback of `web`, whose production runs the image its release promoted to `web-prod`. */
  async function rollbackOfChain(
    arrange: (azure: FakeReleaseAzure) => void = () => undefined,
  ): Promise<string> {
    replay = new ReleaseReplay();
    replay.azure.production = newImage;
    replay.azure.knownGood = { latest: newImage, before: oldImage };
    arrange(replay.azure);
    return replay.start({
      kind: 'rollback',
      releaseId: 'release:web:rollback-0001',
      target: replayTarget({ promotesTo: 'web-prod' }, [prod]),
      requestedBy: asked,
    });
  }
  const promotedThere = (azure: FakeReleaseAzure): void => {
    azure.promoted.set(promotedId, {
      from: { target: 'web', releaseId: sourceId },
      to: 'web-prod',
      image: newImage,
      tag: '2.0.0',
      digest,
    });
  };

  it('asks the next target’s release of the image it takes back to stop, before it touches its own slot', async () => {
    const id = await rollbackOfChain(promotedThere);
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.equal(replay.azure.production, oldImage);
    assert.deepEqual(replay.azure.promotedStopped, [
      {
        releaseId: promotedId,
        request: { by: asked.by, reason: `web is rolling back the image it promoted: ${asked.reason}` },
      },
    ]);
    const stopAt = replay.azure.callsOf('stopPromotedRelease')[0]?.at ?? Infinity;
    const deployAt = replay.azure.callsOf('deployToSlot')[0]?.at ?? -Infinity;
    assert.ok(stopAt <= deployAt, 'the image goes no further before this target starts rolling back');
    assert.match(status.reason ?? '', /; release:web-prod:\w+ on web-prod was asked to stop$/);
  });

  it('says how to roll the next target back when its release had already put the image in production', async () => {
    const id = await rollbackOfChain((azure) => {
      promotedThere(azure);
      azure.promotedSucceeded.add(promotedId);
    });
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.match(
      status.reason ?? '',
      /; release:web-prod:\w+ had already put the image in web-prod's production: roll it back with POST \/api\/targets\/web-prod\/rollback$/,
    );
    assert.equal(replay.azure.trail().at(-1)?.detail, status.reason, 'the audit trail says it too');
  });

  it('adds nothing when the image never went further, and still rolls back', async () => {
    const id = await rollbackOfChain();
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'succeeded', status.reason);
    assert.equal(replay.azure.callsOf('stopPromotedRelease').length, 1);
    assert.deepEqual(replay.azure.promotedStopped, []);
    assert.doesNotMatch(status.reason ?? '', /web-prod/);
    assert.equal(replay.azure.production, oldImage);
  });

  it('still says so when nothing can be put back here', async () => {
    const id = await rollbackOfChain((azure) => {
      promotedThere(azure);
      azure.knownGood = { latest: newImage };
    });
    const status = await replay.finish(id);
    assert.equal(status.outcome, 'refused', status.reason);
    assert.deepEqual(
      replay.azure.promotedStopped.map((s) => s.releaseId),
      [promotedId],
    );
    assert.match(
      status.reason ?? '',
      /^nothing to roll back to: .*; release:web-prod:\w+ on web-prod was asked to stop$/,
    );
  });

  it('finishes asking when an abort arrives meanwhile, deploys nothing, and says what it asked', async () => {
    let gate: Gate | undefined;
    const id = await rollbackOfChain((azure) => {
      promotedThere(azure);
      gate = azure.hold('stopPromotedRelease');
    });
    assert.ok(gate);
    const held = gate;
    await replay.runUntil('the stop to be in flight', () => held.entered);
    await replay.abort(id, person);
    held.release();
    const status = await replay.finish(id);
    assert.deepEqual(
      replay.azure.promotedStopped.map((s) => s.releaseId),
      [promotedId],
    );
    assert.deepEqual(replay.azure.callsOf('deployToSlot'), []);
    assert.equal(replay.azure.production, newImage, 'the person who stopped the rollback keeps what runs');
    assert.match(
      status.reason ?? '',
      /^aborted by ana@contoso\.example: .*; release:web-prod:\w+ on web-prod was asked to stop$/,
    );
  });
});

describe('the status of a promoted release', () => {
  it('names where its image came from, from the start', async () => {
    replay = new ReleaseReplay();
    const input = {
      ...pushOf(replayTarget(), promotedId),
      promotedFrom: { target: 'web-staging', releaseId: sourceId },
    };
    const id = await replay.start(input);
    assert.deepEqual(replay.customStatus(id).promotedFrom, input.promotedFrom);
    const status = await replay.finish(id);
    assert.deepEqual(status.promotedFrom, input.promotedFrom);
    assert.equal(status.promotedTo, undefined, 'web promotes nowhere');
    assert.match(replay.azure.trail()[0]?.detail ?? '', /, promoted from web-staging \(release:web:2+\)$/);
  });

  it('keeps where the image came from and went within the custom status limit, however wordy the rest', () => {
    const long = 'x'.repeat(5_000);
    const status: ReleaseStatus = {
      releaseId: promotedId,
      kind: 'push',
      target: 'web-prod',
      image: newImage,
      previousImage: oldImage,
      phase: 'done',
      trafficPercent: 0,
      windows: [],
      // Longer than the whole budget: only the short form fits.
      warmUp: { detail: long, at: '2026-03-02T10:00:00.000Z' },
      reason: long,
      promotedFrom: { target: 'a'.repeat(63), releaseId: `release:${'a'.repeat(63)}:${'2'.repeat(24)}` },
      promotedTo: { target: 'b'.repeat(63), releaseId: `release:${'b'.repeat(63)}:${'2'.repeat(24)}` },
    };
    const published = publishedStatus(status);
    assert.ok(fitsCustomStatus(published));
    assert.deepEqual(
      [published.promotedFrom, published.promotedTo],
      [status.promotedFrom, status.promotedTo],
    );
  });
});
