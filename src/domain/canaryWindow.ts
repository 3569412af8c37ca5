import { compareWithProduction } from './productionComparison';
import type { ProductionComparison } from './productionComparison';

/** What Azure Monitor counted for one site or slot over one analysis window. */
export interface WindowCounts {
  requests: number;
  http5xx: number;
  averageResponseSeconds: number | undefined;
  /** The average response time (seconds) of each minute of the window, in order; null for a minute without one. */
  responseSecondsByMinute: (number | null)[];
}

/** The thresholds a canary window is judged by (a target's `gates`). */
export interface CanaryGates {
  /** Highest share of requests (0–1) the slot may answer with 5xx. */
  max5xxRate: number;
  /**
   * How far (0–1, in rate) the slot's 5xx share may exceed production's in the same window: the
   * window fails when the excess is above this with `comparisonConfidence`.
   */
  max5xxRateOverProduction: number;
  /** The one-sided confidence (e.g. 0.95) with which the slot must be shown worse than production to fail. */
  comparisonConfidence: number;
  /** Highest average response time of the slot, in milliseconds. */
  maxAverageResponseMs: number;
  /** How many times production's response time the slot may take (the median of the window's minutes). */
  maxResponseTimeRatioToProduction: number;
  /** Below this average (ms) the slot is not compared with production's time: a few ms either way is noise. */
  responseTimeRatioFloorMs: number;
  /** Fewer requests than this in a window (on either side, when compared) prove nothing: the window is inconclusive. */
  minRequests: number;
  /** Fewer minutes with response times on both sides than this leave the comparison of response times undecided. */
  minResponseTimeMinutes: number;
}

/**
 * What the slot is compared with: production over the same window or, in a window in which
 * production served no users (the slot carried them all), production's counts pooled over the
 * release's earlier windows (`pooledCounts`), with `thisWindow` what production counted meanwhile.
 */
export type ProductionBaseline =
  | { from: 'sameWindow'; counts: WindowCounts }
  | { from: 'earlierWindows'; counts: WindowCounts; thisWindow: WindowCounts };

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** A window's verdict with the numbers behind it, as a person reads it in the release status. */
export interface WindowJudgement {
  verdict: Verdict;
  reasons: string[];
  slot: { requests: number; errorRate: number | undefined; averageResponseMs: number | undefined };
  production:
    { requests: number; errorRate: number | undefined; averageResponseMs: number | undefined } | undefined;
  /** The numbers of the comparison with production, when the slot was compared with it. */
  comparison?: ProductionComparison;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(2)}%`;

function summarize(counts: WindowCounts): WindowJudgement['slot'] {
  return {
    requests: counts.requests,
    errorRate: counts.requests > 0 ? counts.http5xx / counts.requests : undefined,
    averageResponseMs:
      counts.averageResponseSeconds === undefined ? undefined : counts.averageResponseSeconds * 1000,
  };
}

/**
 * Judges one canary window. Missing metrics or too little traffic make it inconclusive, never a
 * pass. The slot fails on its own numbers (5xx share, response time) or when shown worse than
 * production (`compareWithProduction`); what cannot be compared for want of data makes the window
 * inconclusive. With no baseline at all (production served no one, and there were no earlier
 * windows) the slot is judged on the gates alone.
 */
export function judgeCanaryWindow(
  slotCounts: WindowCounts | undefined,
  baseline: ProductionBaseline | undefined,
  gates: CanaryGates,
): WindowJudgement {
  return judgeWindow(slotCounts, baseline, gates);
}

/** Counts added up over windows, to compare a later window with: totals only, no response times. */
export function pooledCounts(earlier: WindowCounts | undefined, next: WindowCounts): WindowCounts {
  return {
    requests: (earlier?.requests ?? 0) + next.requests,
    http5xx: (earlier?.http5xx ?? 0) + next.http5xx,
    averageResponseSeconds: undefined,
    responseSecondsByMinute: [],
  };
}

/**
 * Judges one window of the bake, after the swap: production runs the new image and carries every
 * user (its numbers are in the judgement's `slot`). It fails over a gate, or when its 5xx rate is
 * shown over `beforeSwap`'s, production's counts while it still ran the previous image, by the same
 * rule as a canary window (`compareWithProduction`): so an image that passed its canary by chance
 * is still caught. Without such counts, or with fewer than `minRequests` of them, it is judged on
 * the gates alone, and the pass says so. Too little traffic makes it inconclusive.
 */
export function judgeBakeWindow(
  productionCounts: WindowCounts | undefined,
  beforeSwap: WindowCounts | undefined,
  gates: CanaryGates,
): WindowJudgement {
  const own = judgeOnGates(productionCounts, gates, 'production');
  if ('verdict' in own) return own;
  const numbers = { slot: own.slot, production: undefined };
  if (beforeSwap === undefined || beforeSwap.requests < gates.minRequests) {
    const why =
      beforeSwap === undefined
        ? 'no counts of production before the swap to compare with'
        : `production served only ${beforeSwap.requests} requests before the swap, too few to compare with`;
    return verdictOf(own.failures, [], numbers, [`${why}; judged on the gates alone`]);
  }
  const compared = compareWithProduction(own.counts, beforeSwap, gates, 'beforeSwap');
  return verdictOf([...own.failures, ...compared.failures], compared.undecided, {
    ...numbers,
    comparison: compared.numbers,
  });
}

function judgeWindow(
  slotCounts: WindowCounts | undefined,
  baseline: ProductionBaseline | undefined,
  gates: CanaryGates,
): WindowJudgement {
  const productionCounts = baseline?.from === 'earlierWindows' ? baseline.thisWindow : baseline?.counts;
  const production = productionCounts ? summarize(productionCounts) : undefined;
  const own = judgeOnGates(slotCounts, gates, 'the slot');
  if ('verdict' in own) return { ...own, production };
  if (!baseline) {
    return verdictOf(own.failures, [], { slot: own.slot, production }, [
      'production served no users in this window; judged on the gates alone',
    ]);
  }
  const compared = compareWithProduction(own.counts, baseline.counts, gates, baseline.from);
  return verdictOf([...own.failures, ...compared.failures], compared.undecided, {
    slot: own.slot,
    production,
    comparison: compared.numbers,
  });
}

/**
 * The subject's own gates: an inconclusive judgement when its metrics are missing or too thin, else
 * its numbers and the gates it is over.
 */
function judgeOnGates(
  counts: WindowCounts | undefined,
  gates: CanaryGates,
  subject: 'the slot' | 'production',
): WindowJudgement | { counts: WindowCounts; slot: WindowJudgement['slot']; failures: string[] } {
  if (!counts) {
    return {
      verdict: 'inconclusive',
      reasons: [`the metrics of ${subject} could not be read`],
      slot: { requests: 0, errorRate: undefined, averageResponseMs: undefined },
      production: undefined,
    };
  }
  const slot = summarize(counts);
  if (slot.requests < gates.minRequests) {
    return {
      verdict: 'inconclusive',
      reasons: [`only ${slot.requests} requests reached ${subject}; a window needs ${gates.minRequests}`],
      slot,
      production: undefined,
    };
  }
  const failures: string[] = [];
  const errorRate = slot.errorRate ?? 0;
  if (errorRate > gates.max5xxRate)
    failures.push(`5xx rate ${percent(errorRate)} is over the ${percent(gates.max5xxRate)} gate`);
  if (slot.averageResponseMs !== undefined && slot.averageResponseMs > gates.maxAverageResponseMs) {
    failures.push(
      `average response ${Math.round(slot.averageResponseMs)} ms is over the ${gates.maxAverageResponseMs} ms gate`,
    );
  }
  return { counts, slot, failures };
}

/** A failure stands whatever could not be compared; otherwise anything undecided keeps the window from passing. */
function verdictOf(
  failures: string[],
  undecided: string[],
  numbers: Pick<WindowJudgement, 'slot' | 'production' | 'comparison'>,
  passNotes: string[] = [],
): WindowJudgement {
  if (failures.length > 0) return { verdict: 'fail', reasons: failures, ...numbers };
  if (undecided.length > 0) return { verdict: 'inconclusive', reasons: undecided, ...numbers };
  return { verdict: 'pass', reasons: passNotes, ...numbers };
}
