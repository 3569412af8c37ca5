import { setTrafficShareActivity } from '../../activities/routeTraffic';
import { decideAfterWindow, freshTally } from '../../domain/canaryProgress';
import { judgeCanaryWindow } from '../../domain/canaryWindow';
import { windowNote } from './auditEntries';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';
import { judgeNextWindow, unreadable } from './window';

/**
 * Moves the target's canary steps of users to the slot, one analysis window per step judged on the
 * slot's metrics against its gates and production's; a step whose window fails or stays
 * inconclusive too long rolls the release back. Blue-green releases and rollbacks skip it.
 */
export function* canary(flow: ReleaseFlow): Flow<PhaseResult> {
  const { input, target, status } = flow;
  if (input.kind !== 'push' || target.strategy !== 'canary') return undefined;
  flow.enter('canary');
  let tally = freshTally;
  let step = 0;
  while (step < target.canary.steps.length) {
    const percent = target.canary.steps[step] ?? 100;
    yield* flow.step(setTrafficShareActivity, { ...flow.where, percent });
    status.trafficPercent = percent;
    flow.publish();
    // At 100% production serves no users: there is nothing of it to compare the slot with.
    const comparesWithProduction = percent < 100;
    const { judgement, windowEnd, judgedAt } = yield* judgeNextWindow(
      flow,
      target.canary.intervalMinutes,
      (metrics) =>
        'error' in metrics
          ? unreadable(metrics.error, target)
          : judgeCanaryWindow(
              metrics.slot,
              comparesWithProduction ? metrics.production : undefined,
              target.gates,
            ),
    );
    const record = { ...judgement, step: step + 1, trafficPercent: percent, end: windowEnd, judgedAt };
    status.windows.push(record);
    flow.audit(windowNote(record));
    const decision = decideAfterWindow(tally, judgement.verdict, target.gates);
    tally = decision.tally;
    if (decision.action === 'rollback')
      return {
        rollBack: `step ${step + 1} (${percent}%): ${decision.reason}; ${judgement.reasons.join('; ')}`,
      };
    if (decision.action === 'advance') step += 1;
    flow.publish();
  }
  return undefined;
}
