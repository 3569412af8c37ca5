import type { AzureStepResult } from '../../activities/azureStep';
import { probeSlotActivity, readWindowMetricsActivity, watchLoopOrchestrator } from '../../functionNames';
import type { ProbeRound } from '../../activities/probeSlot';
import type { WindowMetricsResult } from '../../activities/readWindowMetrics';
import type { SlotTarget } from '../../activities/releaseTypes';
import type { WindowCounts } from '../../domain/canaryWindow';
import { judgeSevereFault } from '../../domain/severeFault';
import type { SevereFaultFinding, SevereFaultRule } from '../../domain/severeFault';
import type { DurableWork, Flow } from '../durableSteps';
import type { ReleaseFlow } from './flow';
import { releaseLoop } from './loop';
import type { Round } from './loop';

const minuteMs = 60_000;
/** Azure Monitor's minute is read a few seconds after it ends, not on the boundary itself. */
const readAfterMinuteMs = 5_000;

/** The probes sent in one minute of Azure Monitor's, to leave out of the slot's counts for it. */
export interface ProbeMinute {
  minute: number;
  sent: number;
  http5xx: number;
}

/** How a watch ended: a severe fault found, or the window's end reached with none. */
export type WatchEnd =
  | { severe: SevereFaultFinding & { probesSent: number }; probes: ProbeMinute[] }
  | { quiet: true; probes: ProbeMinute[] };

/** What the watch of one canary step looks at, and what it has seen so far. */
interface Watch extends SlotTarget {
  checks: { path: string; expectStatus: number }[];
  rule: SevereFaultRule;
  everyMs: number;
  /** The first minute of the step's traffic, and when its window ends. */
  from: number;
  until: number;
  probes: ProbeMinute[];
  probeFailuresInARow: number;
  /** The slot's user traffic so far, as the last read of its metrics found it. */
  users: { requests: number; http5xx: number };
  nextReadAt: number;
}

/**
 * Watches the slot from now, when the step's traffic has just moved to it, until `until` (its
 * window's end): probe rounds every few seconds and Azure Monitor's minutes as they arrive, in a loop
 * of its own so that the release's history stays small. Ends early with the finding when the
 * evidence is a severe fault.
 */
export function* watchStep(flow: ReleaseFlow, until: number): Flow<WatchEnd> {
  const { target } = flow;
  const health = { path: target.warmUp.healthPath, expectStatus: 200 };
  const { level, minRequests, probeFailuresInARow, probeIntervalSeconds, probesPerPath } = target.failFast;
  const checks = [health, ...target.smokeChecks.filter((c) => c.path !== health.path)].flatMap((c) =>
    Array.from({ length: probesPerPath }, () => c),
  );
  const now = flow.now();
  const watch: Watch = {
    ...flow.where,
    checks,
    rule: { level, minRequests, probeFailuresInARow, max5xxRate: target.gates.max5xxRate },
    everyMs: probeIntervalSeconds * 1000,
    from: floorMinute(now),
    until,
    probes: [],
    probeFailuresInARow: 0,
    users: { requests: 0, http5xx: 0 },
    nextReadAt: floorMinute(now) + minuteMs + readAfterMinuteMs,
  };
  return yield* flow.loop<WatchEnd>(watchLoopOrchestrator, watch, now);
}

/** The watch's loop: one round of probes each time, and a read of the metrics once a minute. */
export const watchLoop = releaseLoop(function* (
  work: DurableWork,
  watch: Watch,
): Flow<Round<Watch, WatchEnd>> {
  const now = work.now();
  if (now >= watch.until) return { done: { quiet: true, probes: watch.probes } };
  let next = yield* probeRound(work, watch, now);
  if (now >= next.nextReadAt) next = yield* readUsers(work, next, now);
  const finding = judgeSevereFault(
    { ...next.users, probeFailuresInARow: next.probeFailuresInARow },
    next.rule,
  );
  if (finding.severe)
    return { done: { severe: { ...finding, probesSent: probesSent(next.probes) }, probes: next.probes } };
  return { state: next, nextAt: Math.min(now + watch.everyMs, watch.until) };
});

/** One round of probes; a round Azure would not let run (the host name unread) is no evidence either way. */
function* probeRound(work: DurableWork, watch: Watch, now: number): Flow<Watch> {
  let round: AzureStepResult<ProbeRound>;
  try {
    round = yield* work.call<AzureStepResult<ProbeRound>>(probeSlotActivity, {
      site: watch.site,
      slot: watch.slot,
      checks: watch.checks,
    });
  } catch {
    return watch;
  }
  if (!round.ok) return watch;
  const minute = floorMinute(now);
  const counted = watch.probes.find((p) => p.minute === minute);
  const probes = counted
    ? watch.probes.map((p) =>
        p === counted
          ? { minute, sent: p.sent + round.value.sent, http5xx: p.http5xx + round.value.http5xx }
          : p,
      )
    : [...watch.probes, { minute, sent: round.value.sent, http5xx: round.value.http5xx }];
  const probeFailuresInARow = round.value.failures.length > 0 ? watch.probeFailuresInARow + 1 : 0;
  return { ...watch, probes, probeFailuresInARow };
}

/** The slot's user traffic from the step's first minute to the last whole one, its probes left out. */
function* readUsers(work: DurableWork, watch: Watch, now: number): Flow<Watch> {
  const to = floorMinute(now);
  const read = { site: watch.site, slot: watch.slot, start: iso(watch.from), end: iso(to) };
  let metrics: WindowMetricsResult;
  try {
    metrics = yield* work.call<WindowMetricsResult>(readWindowMetricsActivity, read);
  } catch (err) {
    metrics = { error: err instanceof Error ? err.message : String(err) };
  }
  const nextReadAt = to + minuteMs + readAfterMinuteMs;
  if ('error' in metrics) return { ...watch, nextReadAt };
  const users = withoutProbes(metrics.slot, watch.probes, watch.from, to);
  return { ...watch, users: { requests: users.requests, http5xx: users.http5xx }, nextReadAt };
}

/**
 * The slot's counts over [from, to) less what the probes sent and got in those minutes: Azure Monitor
 * counts a probe as it counts a user, and a probe must neither pass nor fail a window as one.
 */
export function withoutProbes(
  counts: WindowCounts,
  probes: ProbeMinute[],
  from: number,
  to: number,
): WindowCounts {
  // A minute Azure Monitor has not reported yet counted none of its probes either; the per-minute
  // series, when there is one, says which minutes have arrived.
  const arrived = (minute: number): boolean => {
    const byMinute = counts.responseSecondsByMinute;
    if (byMinute.length === 0) return true;
    const value = byMinute[Math.round((minute - from) / minuteMs)];
    return value !== null && value !== undefined;
  };
  const within = probes.filter((p) => p.minute >= from && p.minute < to && arrived(p.minute));
  const sent = probesSent(within);
  const http5xx = within.reduce((sum, p) => sum + p.http5xx, 0);
  return {
    ...counts,
    requests: Math.max(0, counts.requests - sent),
    http5xx: Math.max(0, counts.http5xx - http5xx),
  };
}

function probesSent(probes: ProbeMinute[]): number {
  return probes.reduce((sum, p) => sum + p.sent, 0);
}

function floorMinute(at: number): number {
  return Math.floor(at / minuteMs) * minuteMs;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
