/** What Azure Monitor counted for one site or slot over one analysis window. */
export interface WindowCounts {
  requests: number;
  http5xx: number;
  averageResponseSeconds: number | undefined;
}

/** The thresholds a canary window is judged by (a target's `gates`). */
export interface CanaryGates {
  /** Highest share of requests (0–1) the slot may answer with 5xx. */
  max5xxRate: number;
  /** How far (0–1, in rate) the slot's 5xx share may exceed production's in the same window. */
  max5xxRateOverProduction: number;
  /** Highest average response time of the slot, in milliseconds. */
  maxAverageResponseMs: number;
  /** How many times production's average response time the slot may take. */
  maxResponseTimeRatioToProduction: number;
  /** Below this average (ms) the slot is not compared with production's time: a few ms either way is noise. */
  responseTimeRatioFloorMs: number;
  /** Fewer requests than this in a window prove nothing: the window is inconclusive. */
  minRequests: number;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** A window's verdict with the numbers behind it, as a person reads it in the release status. */
export interface WindowJudgement {
  verdict: Verdict;
  reasons: string[];
  slot: { requests: number; errorRate: number | undefined; averageResponseMs: number | undefined };
  production:
    { requests: number; errorRate: number | undefined; averageResponseMs: number | undefined } | undefined;
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
 * pass. The slot fails on its own numbers (5xx share, response time) or against production's in
 * the same window, when production served enough requests to compare with.
 */
export function judgeCanaryWindow(
  slotCounts: WindowCounts | undefined,
  productionCounts: WindowCounts | undefined,
  gates: CanaryGates,
): WindowJudgement {
  return judgeWindow(slotCounts, productionCounts, gates, 'the slot');
}

/**
 * Judges one window of the bake, after the swap: production runs the new image and carries every
 * user, so it is judged on the gates alone (the numbers are in the judgement's `slot`). Too little
 * traffic makes it inconclusive.
 */
export function judgeBakeWindow(
  productionCounts: WindowCounts | undefined,
  gates: CanaryGates,
): WindowJudgement {
  return judgeWindow(productionCounts, undefined, gates, 'production');
}

function judgeWindow(
  slotCounts: WindowCounts | undefined,
  productionCounts: WindowCounts | undefined,
  gates: CanaryGates,
  subject: 'the slot' | 'production',
): WindowJudgement {
  const production = productionCounts ? summarize(productionCounts) : undefined;
  if (!slotCounts) {
    return {
      verdict: 'inconclusive',
      reasons: [`the metrics of ${subject} could not be read`],
      slot: { requests: 0, errorRate: undefined, averageResponseMs: undefined },
      production,
    };
  }
  const slot = summarize(slotCounts);
  if (slot.requests < gates.minRequests) {
    return {
      verdict: 'inconclusive',
      reasons: [`only ${slot.requests} requests reached ${subject}; a window needs ${gates.minRequests}`],
      slot,
      production,
    };
  }
  const reasons: string[] = [];
  const errorRate = slot.errorRate ?? 0;
  if (errorRate > gates.max5xxRate)
    reasons.push(`5xx rate ${percent(errorRate)} is over the ${percent(gates.max5xxRate)} gate`);
  if (slot.averageResponseMs !== undefined && slot.averageResponseMs > gates.maxAverageResponseMs) {
    reasons.push(
      `average response ${Math.round(slot.averageResponseMs)} ms is over the ${gates.maxAverageResponseMs} ms gate`,
    );
  }
  const comparable = production !== undefined && production.requests >= gates.minRequests;
  if (comparable) {
    const baseline = production.errorRate ?? 0;
    if (errorRate > baseline + gates.max5xxRateOverProduction) {
      reasons.push(
        `5xx rate ${percent(errorRate)} is more than ${percent(gates.max5xxRateOverProduction)} over production’s ${percent(baseline)}`,
      );
    }
    if (
      slot.averageResponseMs !== undefined &&
      slot.averageResponseMs >= gates.responseTimeRatioFloorMs &&
      production.averageResponseMs !== undefined &&
      production.averageResponseMs > 0
    ) {
      const ratio = slot.averageResponseMs / production.averageResponseMs;
      if (ratio > gates.maxResponseTimeRatioToProduction) {
        reasons.push(
          `average response is ${ratio.toFixed(1)}× production’s (limit ${gates.maxResponseTimeRatioToProduction}×)`,
        );
      }
    }
  }
  if (reasons.length > 0) return { verdict: 'fail', reasons, slot, production };
  return {
    verdict: 'pass',
    reasons:
      comparable || subject === 'production'
        ? []
        : ['production had too little traffic to compare with; judged on the gates alone'],
    slot,
    production,
  };
}
