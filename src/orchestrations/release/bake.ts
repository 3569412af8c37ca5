import { windowBeforeSwap } from '../../domain/analysisWindow';
import { decideAfterWindow, freshTally } from '../../domain/canaryProgress';
import { judgeBakeWindow } from '../../domain/canaryWindow';
import type { WindowCounts } from '../../domain/canaryWindow';
import { windowNote } from './auditEntries';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';
import { judgeNextWindow, readMetrics, unreadable, windowRead } from './window';

/**
 * After the swap production runs the new image and carries every user for the target's bake time:
 * it is judged on the gates and against production's own counts from before the swap (the canary
 * windows', or for a release without any, such as blue-green, production's minutes before the
 * swap), so that an image that passed its canary by chance is still caught. One failed window swaps
 * back; a window too quiet to judge is followed by another, and too many of them in a row swap back too.
 */
export function* bake(flow: ReleaseFlow): Flow<PhaseResult> {
  const { input, target, status } = flow;
  if (input.kind !== 'push' || target.bakeMinutes <= 0) return undefined;
  flow.enter('baking');
  const beforeSwap = flow.productionBeforeSwap ?? (yield* minutesBeforeSwap(flow));
  let tally = freshTally;
  for (;;) {
    const { judgement, windowEnd, judgedAt } = yield* judgeNextWindow(flow, target.bakeMinutes, (metrics) =>
      'error' in metrics
        ? unreadable(metrics.error, target)
        : judgeBakeWindow(metrics.production, beforeSwap, target.gates),
    );
    const record = { ...judgement, step: 0, trafficPercent: 100, end: windowEnd, judgedAt };
    status.windows.push(record);
    flow.audit(windowNote(record));
    const decision = decideAfterWindow(tally, judgement.verdict, {
      failureLimit: 1,
      inconclusiveLimit: target.gates.inconclusiveLimit,
    });
    tally = decision.tally;
    if (decision.action === 'advance') return undefined;
    if (decision.action === 'rollback')
      return { rollBack: `production failed its bake: ${decision.reason}; ${judgement.reasons.join('; ')}` };
    flow.publish();
  }
}

/**
 * Production's counts over the bake's length of minutes before the swap, when it still served
 * every user with the previous image; none when they cannot be read.
 */
function* minutesBeforeSwap(flow: ReleaseFlow): Flow<WindowCounts | undefined> {
  const { swapStartedAt } = flow.footprint;
  if (swapStartedAt === undefined) return undefined;
  const { start, end } = windowBeforeSwap(
    Date.parse(swapStartedAt),
    flow.target.bakeMinutes,
    flow.target.gates.metricsSettleSeconds,
  );
  const metrics = yield* readMetrics(flow, windowRead(flow, start, end));
  return 'error' in metrics ? undefined : metrics.production;
}
