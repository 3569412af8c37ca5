import { setTrafficShareActivity } from '../../functionNames';
import { decideAfterWindow, freshTally } from '../../domain/canaryProgress';
import { judgeCanaryWindow, pooledCounts } from '../../domain/canaryWindow';
import type { ProductionBaseline, WindowCounts } from '../../domain/canaryWindow';
import { windowNote } from './auditEntries';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';
import { judgeNextWindow, unreadable } from './window';

/**
 * Moves the target's canary steps of users to the slot, one analysis window per step judged on the
 * slot's metrics against its gates and production's; a step whose window fails or stays
 * inconclusive too long rolls the release back, and a severe fault seen while the step runs rolls it
 * back at once. Blue-green releases and rollbacks skip it.
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
    let productionNow: WindowCounts | undefined;
    const { judgement, windowEnd, judgedAt, severeFault } = yield* judgeNextWindow(
      flow,
      target.canary.intervalMinutes,
      (metrics) => {
        productionNow = 'error' in metrics ? undefined : metrics.production;
        if ('error' in metrics) return unreadable(metrics.error, target);
        return judgeCanaryWindow(
          metrics.slot,
          baselineAt(percent, metrics.production, flow.productionBeforeSwap),
          target.gates,
        );
      },
      true,
    );
    // Production's counts over the windows judged so far: the baseline at 100% and in the bake.
    if (productionNow && percent < 100)
      flow.productionBeforeSwap = pooledCounts(flow.productionBeforeSwap, productionNow);
    const record = {
      ...judgement,
      step: step + 1,
      trafficPercent: percent,
      end: windowEnd,
      judgedAt,
      ...(severeFault === undefined ? {} : { severeFault }),
    };
    status.windows.push(record);
    flow.audit(windowNote(record));
    // A severe fault rolls back at once, whatever number of failed windows the target allows.
    if (severeFault !== undefined)
      return { rollBack: `step ${step + 1} (${percent}%): ${judgement.reasons.join('; ')}` };
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

/**
 * What the slot is compared with at `percent`: production in the same window while it serves users;
 * at 100%, when it serves no one, its counts over the release's earlier windows, if there were any.
 */
function baselineAt(
  percent: number,
  production: WindowCounts,
  productionSoFar: WindowCounts | undefined,
): ProductionBaseline | undefined {
  if (percent < 100) return { from: 'sameWindow', counts: production };
  return productionSoFar && { from: 'earlierWindows', counts: productionSoFar, thisWindow: production };
}
