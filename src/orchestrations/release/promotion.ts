import { promoteImageActivity, stopPromotedReleaseActivity } from '../../functionNames';
import type { PromotedReleaseStopped } from '../../activities/stopPromotedRelease';
import { releaseInstanceId } from '../../domain/releaseId';
import { splitImageReference } from '../../domain/imageReference';
import type { PromotionRequest, PromotionResult } from '../../promotionControl';
import type { AbortRequest, PromotionLink } from '../releaseModel';
import { requesterOf } from './auditEntries';
import { ReleaseAborted, rollbackRetry } from './flow';
import type { Flow, ReleaseFlow } from './flow';

/**
 * Hands a successful push's image on to the next target of its chain (`promotesTo`): the same digest
 * starts a release there. It runs once the release has ended, so nothing interrupts it; the status
 * names the release started (`promotedTo`) and the audit trail records it. A promotion that could not
 * be started leaves the release succeeded and says why in its reason.
 */
export function* promoteToNextTarget(flow: ReleaseFlow): Flow {
  const { input, status, target } = flow;
  const next = target.promotesTo;
  if (input.kind !== 'push' || status.outcome !== 'succeeded' || next === undefined) return;
  const request: PromotionRequest = {
    from: { target: target.name, releaseId: input.releaseId },
    to: next,
    image: input.image,
    tag: input.tag,
    digest: input.digest,
  };
  const entry = { action: 'release.promotion', by: requesterOf(input) } as const;
  let result: PromotionResult;
  try {
    result = yield* flow.step<PromotionResult>(promoteImageActivity, request);
  } catch (err) {
    const why = `it could not be promoted to ${next}: ${err instanceof Error ? err.message : String(err)}`;
    flow.audit({ ...entry, outcome: 'failed', detail: why });
    addToReason(flow, why);
    return;
  }
  if ('ignored' in result) {
    flow.audit({ ...entry, outcome: 'ignored', detail: `not promoted to ${next}: ${result.ignored}` });
    addToReason(flow, `not promoted to ${next}: ${result.ignored}`);
    return;
  }
  status.promotedTo = { target: next, releaseId: result.releaseId };
  flow.publish();
  const how = result.started ? 'started' : 'found already there';
  flow.audit({
    ...entry,
    outcome: 'started',
    detail: `${input.image} promoted to ${next}: release ${result.releaseId} ${how}`,
  });
}

/**
 * Stops the release this one handed its image on to, when this one is being taken back: what proved
 * bad here must not go on to the next target. Asked for by whoever stopped this release. Returns what
 * a person must still do, if anything, for the release's reason.
 */
export function* stopPromotedRelease(flow: ReleaseFlow, stoppedBy: AbortRequest): Flow<string | undefined> {
  const promoted = flow.status.promotedTo;
  if (promoted === undefined) return undefined;
  // Not superseded: no newer release of the next target replaces it, whatever stopped this one.
  return yield* askToStop(flow, promoted, stoppedBy, `${flow.target.name} took back the image it promoted`);
}

/**
 * A rollback release takes back `production`, the image the target runs now, which its own release
 * may have promoted once it succeeded: the next target's release of that digest (the id a promotion
 * gives it) is asked to stop before anything else, so the image goes no further while this target
 * rolls back. Returns what became of it for the rollback's reason, nothing when the image went nowhere.
 */
export function* stopPromotionOfImageTakenBack(
  flow: ReleaseFlow,
  production: string | null,
): Flow<string | undefined> {
  const { input, target } = flow;
  const next = target.promotesTo;
  const digest = production === null ? undefined : splitImageReference(production).digest;
  if (input.kind !== 'rollback' || next === undefined || digest === undefined) return undefined;
  return yield* askToStop(
    flow,
    { target: next, releaseId: releaseInstanceId(next, digest) },
    input.requestedBy,
    `${target.name} is rolling back the image it promoted`,
    true,
  );
}

/**
 * Asks `promoted` to stop for whoever `asked` this target, saying `why`; returns the note for the
 * reason (none when it never existed and `mayBeMissing`).
 */
function* askToStop(
  flow: ReleaseFlow,
  promoted: PromotionLink,
  asked: AbortRequest,
  why: string,
  mayBeMissing = false,
): Flow<string | undefined> {
  const request: AbortRequest = {
    by: asked.by,
    reason: `${why}: ${asked.reason}`,
    ...(asked.alertRule === undefined ? {} : { alertRule: asked.alertRule }),
  };
  const how = `POST /api/targets/${promoted.target}/rollback`;
  try {
    const answer = yield* flow.step<PromotedReleaseStopped>(
      stopPromotedReleaseActivity,
      { releaseId: promoted.releaseId, request },
      rollbackRetry,
    );
    if (answer.missing && mayBeMissing) return undefined;
    return answer.alreadySucceeded
      ? `${promoted.releaseId} had already put the image in ${promoted.target}'s production: roll it back with ${how}`
      : `${promoted.releaseId} on ${promoted.target} was asked to stop`;
  } catch (err) {
    if (err instanceof ReleaseAborted) throw err;
    return `${promoted.releaseId} could not be asked to stop (${err instanceof Error ? err.message : String(err)}): stop it with ${how}`;
  }
}

/** Adds `note` to the reason of a release that has ended. */
export function addToReason(flow: ReleaseFlow, note: string): void {
  flow.status.reason = [flow.status.reason, note].filter((part) => part !== undefined).join('; ');
  flow.publish();
}
