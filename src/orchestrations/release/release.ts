import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { ReleaseInput, ReleaseStatus } from '../releaseModel';
import { approval } from './approval';
import { startedNote } from './auditEntries';
import { backup } from './backup';
import { bake } from './bake';
import { canary } from './canary';
import { deploy } from './deploy';
import { ReleaseFlow } from './flow';
import type { Flow } from './flow';
import { notify } from './notify';
import type { Phase } from './phase';
import { promote } from './promote';
import { addToReason, promoteToNextTarget, stopPromotedRelease } from './promotion';
import { queue } from './queue';
import { record } from './record';
import { causeOf, rollBack } from './rollback';
import { smoke } from './smoke';
import { warmUp } from './warmUp';

/**
 * The phases of a release, in order. Each decides for itself whether it applies: a rollback release
 * takes no backup, asks no approval, runs no canary and no bake; blue-green runs no canary.
 */
const phases: Phase[] = [queue, backup, deploy, warmUp, smoke, approval, canary, promote, bake, record];

/**
 * One release of one image to one target: wait for the target's earlier releases to stop, back the
 * database up, deploy to the staging slot, warm up, smoke-test, wait for approval when required, move
 * traffic in canary steps judged on Azure Monitor metrics (or none, blue-green), swap, bake, and record
 * the image as known good. A failed gate or check, an abort (a person, an alert, a newer push) at any
 * moment, or an unexpected error takes the release back through the one rollback phase. A rollback
 * release runs the same phases with the last known good image.
 */
export const release: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ReleaseInput>();
  const flow = new ReleaseFlow(context, input, startingStatus(input));
  yield* runPhases(flow);
  yield* notify(flow);
  yield* heedLateAbort(flow);
  yield* promoteToNextTarget(flow);
  yield* heedLateAbort(flow);
  // What the release noted and has not written yet: a failed gate's verdict, the rollback, the end, the promotion.
  yield* flow.recordAudit();
  return flow.status;
};

/**
 * An abort that arrived as the release finished, or while it promoted its image: the person or alert
 * that sent it still gets the old image back, and the release it promoted the image to is stopped first.
 */
function* heedLateAbort(flow: ReleaseFlow): Flow {
  const request = flow.abortArrived();
  if (flow.status.outcome !== 'succeeded' || flow.input.kind !== 'push' || request === undefined) return;
  const stopped = yield* stopPromotedRelease(flow, request);
  yield* rollBack(flow, { kind: 'aborted', request });
  if (stopped !== undefined) addToReason(flow, stopped);
  yield* notify(flow);
}

function* runPhases(flow: ReleaseFlow): Flow {
  const { input } = flow;
  flow.audit(startedNote(input));
  // A rollback is never frozen: putting a known good image back is what a freeze protects.
  if (input.kind === 'push' && input.frozen) {
    flow.end(
      'refused',
      input.frozenBecause ?? `releases to the ${flow.target.environment} environment are frozen`,
    );
    return;
  }
  try {
    yield* flow.recordAudit();
    for (const phase of phases) {
      const result = yield* phase(flow);
      if (result === undefined) continue;
      if ('end' in result) flow.end(result.end, result.reason);
      else yield* rollBack(flow, { kind: 'gate', reason: result.rollBack });
      return;
    }
    flow.throwIfAborted();
  } catch (err) {
    yield* rollBack(flow, causeOf(err));
    return;
  }
  const done =
    input.kind === 'push'
      ? 'the new image passed every check and serves production'
      : `production serves the known good image again, as ${input.requestedBy.by} asked: ${input.requestedBy.reason}`;
  flow.end('succeeded', done);
}

function startingStatus(input: ReleaseInput): ReleaseStatus {
  return {
    releaseId: input.releaseId,
    kind: input.kind,
    target: input.target.name,
    image: input.kind === 'push' ? input.image : '',
    previousImage: null,
    phase: 'starting',
    trafficPercent: 0,
    windows: [],
    // A rollback, or a push a person asked to release again, says who asked and why.
    ...(input.requestedBy === undefined ? {} : { requestedBy: input.requestedBy }),
    ...(input.kind === 'push' && input.promotedFrom !== undefined
      ? { promotedFrom: input.promotedFrom }
      : {}),
  };
}
