import { readWindowMetricsActivity } from '../../functionNames';
import type { WindowMetricsResult } from '../../activities/readWindowMetrics';
import type { SlotTarget } from '../../activities/releaseTypes';
import type { Target } from '../../config';
import { nextAnalysisWindow } from '../../domain/analysisWindow';
import { judgeCanaryWindow } from '../../domain/canaryWindow';
import type { WindowJudgement } from '../../domain/canaryWindow';
import type { SevereFaultFinding } from '../../domain/severeFault';
import { ReleaseAborted } from './flow';
import type { Flow, ReleaseFlow } from './flow';
import { watchStep, withoutProbes } from './watch';
import type { ProbeMinute } from './watch';

/** A judged window, with when it ended and when the verdict was taken. */
export interface JudgedWindow {
  judgement: WindowJudgement;
  windowEnd: string;
  judgedAt: string;
  /** Set when the watch found a severe fault before the window ended: the early verdict's numbers. */
  severeFault?: SevereFaultFinding & { probesSent: number };
}

/**
 * Waits for the analysis window that follows a traffic change (from the next whole minute, for
 * `intervalMinutes`), reads the slot's and production's metrics for it and judges them. Azure
 * Monitor's newest minutes may still be arriving at the window's end: a failure found then stands at
 * once (the fastest relief), while a pass, or a window too quiet or unreadable, is read and judged
 * again the target's settle time later, so that no window passes on part of its data.
 *
 * A `watched` window (a canary step's) is watched while it runs (`watchStep`): a severe fault ends it
 * at once with a failing verdict, and the probes' own requests are left out of the slot's counts.
 */
export function* judgeNextWindow(
  flow: ReleaseFlow,
  intervalMinutes: number,
  judge: (metrics: WindowMetricsResult) => WindowJudgement,
  watched = false,
): Flow<JudgedWindow> {
  const { start, end } = nextAnalysisWindow(flow.now(), intervalMinutes);
  const read = windowRead(flow, start, end);
  const settleSeconds = flow.target.gates.metricsSettleSeconds;
  // The wait is the moment to write what was noted: no step waits for it.
  yield* flow.recordAudit();
  let probes: ProbeMinute[] = [];
  if (watched) {
    const watch = yield* watchStep(flow, end);
    if ('severe' in watch)
      return {
        judgement: early(watch.severe),
        windowEnd: read.end,
        judgedAt: flow.nowIso(),
        severeFault: watch.severe,
      };
    probes = watch.probes;
  }
  // A watch ends with its window, and a timer that is already due would only lengthen the history.
  if (flow.now() < end) yield* flow.wait(end);
  const judgeUsers = (metrics: WindowMetricsResult): WindowJudgement =>
    judge(
      'error' in metrics ? metrics : { ...metrics, slot: withoutProbes(metrics.slot, probes, start, end) },
    );
  let judgement = judgeUsers(yield* readMetrics(flow, read));
  if (judgement.verdict !== 'fail' && settleSeconds > 0) {
    yield* flow.wait(end + settleSeconds * 1000);
    judgement = judgeUsers(yield* readMetrics(flow, read));
  }
  return { judgement, windowEnd: read.end, judgedAt: flow.nowIso() };
}

/** The failing verdict of a window cut short by a severe fault. */
function early(finding: SevereFaultFinding): WindowJudgement {
  return {
    verdict: 'fail',
    reasons: [finding.reason],
    slot: {
      requests: finding.requests,
      errorRate: finding.requests > 0 ? finding.errors / finding.requests : undefined,
      averageResponseMs: undefined,
    },
    production: undefined,
  };
}

/**
 * The slot's and production's metrics over `read`'s minutes; a read that fails outright is answered
 * as an error (an unreadable window, judged inconclusive).
 */
export function* readMetrics(flow: ReleaseFlow, read: ReadWindow): Flow<WindowMetricsResult> {
  try {
    return yield* flow.call<WindowMetricsResult>(readWindowMetricsActivity, read);
  } catch (err) {
    if (err instanceof ReleaseAborted) throw err;
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** What `readWindowMetrics` reads: the target's site and slot over the minutes from `start` to `end`. */
type ReadWindow = SlotTarget & { start: string; end: string };

/** The read of the target's minutes from `start` to `end` (epoch milliseconds). */
export function windowRead(flow: ReleaseFlow, start: number, end: number): ReadWindow {
  return { ...flow.where, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/** A window whose metrics could not be read is inconclusive, never a pass. */
export function unreadable(error: string, target: Target): WindowJudgement {
  return {
    ...judgeCanaryWindow(undefined, undefined, target.gates),
    reasons: [`metrics could not be read: ${error}`],
  };
}
