import {
  readProductionImageActivity,
  recordKnownGoodActivity,
  clearTrafficRoutingActivity,
} from '../../functionNames';
import type { AuditActor } from '../../domain/auditEntry';
import type { AbortRequest, ReleaseOutcome, ReleaseStatus } from '../releaseModel';
import { actorOfRequest } from './auditEntries';
import { ReleaseAborted, StepFailed, rollbackRetry } from './flow';
import type { Flow, ReleaseFlow } from './flow';
import { minutes } from './phase';
import { followSwap, swapInto, swapPatienceMinutes } from './swap';

/** Why a release is being taken back. */
export type RollbackCause =
  | { kind: 'aborted'; request: AbortRequest }
  | { kind: 'gate'; reason: string }
  | { kind: 'error'; message: string };

/** The cause of a rollback that `error` (thrown by a phase) stands for. */
export function causeOf(error: unknown): RollbackCause {
  if (error instanceof ReleaseAborted) return { kind: 'aborted', request: error.request };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', message: error instanceof StepFailed ? message : `unexpected error: ${message}` };
}

/**
 * The one way back, whatever stopped the release: no routing rule sends users to the slot; when a
 * swap was asked for, it is let finish and production is swapped back to the image it ran before
 * (a rollback release never swaps back: what it replaced is the image someone wanted gone); a
 * known-good record this release wrote is put back; and production is read to prove it runs the
 * previous image. Each step is retried with backoff; when one cannot be done, the release ends as
 * `rollbackFailed`, marked urgent, since production now needs a person.
 */
export function* rollBack(flow: ReleaseFlow, cause: RollbackCause): Flow<ReleaseStatus> {
  const { status, footprint } = flow;
  flow.stopGoingForward();
  if (cause.kind === 'aborted') status.abortedBy = cause.request;
  const why = describe(cause);
  // Recorded once it is done, with when it began: writing first would keep users on the new image longer.
  const entry = { action: 'release.rollback', by: actorOf(cause), at: flow.now() } as const;
  if (!footprint.slotTouched) {
    flow.audit({ ...entry, outcome: 'succeeded', detail: `${why}; nothing had been deployed` });
    return flow.end(outcomeOf(cause), `${why}; nothing had been deployed`);
  }
  flow.enter('rollingBack');
  try {
    yield* undo(flow);
  } catch (err) {
    status.urgent = true;
    const message = err instanceof Error ? err.message : String(err);
    flow.audit({ ...entry, outcome: 'failed', detail: `${why}; the rollback could not finish: ${message}` });
    return flow.end(
      'rollbackFailed',
      `${why}; the rollback could not finish (${message}), so production may not run ${status.previousImage ?? 'its previous image'}: a person must check it`,
    );
  }
  flow.audit({ ...entry, outcome: 'succeeded', detail: `${why}; ${undone(flow)}` });
  const outcome = outcomeOf(cause);
  // 'rolledBack' says so itself; a failed or superseded release says what became of its changes.
  return flow.end(outcome, outcome === 'rolledBack' ? why : `${why}; rolled back`);
}

function* undo(flow: ReleaseFlow): Flow {
  const { status, footprint, input, target } = flow;
  const site = target.site;
  yield* flow.step(clearTrafficRoutingActivity, { site }, rollbackRetry);
  status.trafficPercent = 0;
  flow.publish();
  if (footprint.swapStartedAt !== undefined) {
    // Production may face either way until the swap has settled; only then can it be swapped back.
    if (footprint.swapOperation !== undefined)
      yield* followSwap(
        flow,
        footprint.swapOperation,
        flow.now() + minutes(swapPatienceMinutes),
        rollbackRetry,
      );
    if (input.kind === 'push' && status.previousImage !== null)
      yield* swapInto(flow, status.previousImage, rollbackRetry);
  }
  if (footprint.knownGoodBefore !== undefined)
    yield* flow.step(recordKnownGoodActivity, { site, record: footprint.knownGoodBefore }, rollbackRetry);
  const production = yield* flow.step<string | null>(readProductionImageActivity, { site }, rollbackRetry);
  const acceptable =
    input.kind === 'rollback' && footprint.swapStartedAt !== undefined
      ? [status.previousImage, status.image]
      : [status.previousImage];
  if (!acceptable.includes(production))
    throw new StepFailed(
      `production runs ${production ?? 'no image'}, not ${status.previousImage ?? 'no image'}`,
    );
}

/** What the rollback undid, for the audit trail. */
function undone(flow: ReleaseFlow): string {
  const { footprint, status, input } = flow;
  return footprint.swapStartedAt !== undefined && input.kind === 'push'
    ? `production was swapped back to ${status.previousImage ?? 'its previous image'}`
    : 'no user is routed to the slot';
}

/** Who asked for the rollback: whoever stopped the release, or Shepherd when a gate or a step failed. */
function actorOf(cause: RollbackCause): AuditActor {
  return cause.kind === 'aborted' ? actorOfRequest(cause.request) : { kind: 'shepherd' };
}

function describe(cause: RollbackCause): string {
  if (cause.kind === 'aborted') return `aborted by ${cause.request.by}: ${cause.request.reason}`;
  return cause.kind === 'gate' ? cause.reason : cause.message;
}

function outcomeOf(cause: RollbackCause): ReleaseOutcome {
  if (cause.kind === 'aborted') return cause.request.supersededBy === undefined ? 'rolledBack' : 'superseded';
  return cause.kind === 'gate' ? 'rolledBack' : 'failed';
}
