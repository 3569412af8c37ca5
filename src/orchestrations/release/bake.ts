import { decideAfterWindow, freshTally } from '../../domain/canaryProgress';
import { judgeBakeWindow } from '../../domain/canaryWindow';
import { windowNote } from './auditEntries';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';
import { judgeNextWindow, unreadable } from './window';

/**
 * After the swap production runs the new image and carries every user: it is judged on the gates
 * alone for the target's bake time. One failed window swaps back; a window too quiet to judge is
 * followed by another, and too many of them in a row swap back too.
 */
export function* bake(flow: ReleaseFlow): Flow<PhaseResult> {
  const { input, target, status } = flow;
  if (input.kind !== 'push' || target.bakeMinutes <= 0) return undefined;
  flow.enter('baking');
  let tally = freshTally;
  for (;;) {
    const { judgement, windowEnd, judgedAt } = yield* judgeNextWindow(flow, target.bakeMinutes, (metrics) =>
      'error' in metrics
        ? unreadable(metrics.error, target)
        : judgeBakeWindow(metrics.production, target.gates),
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
