import type { CanaryGates, WindowCounts } from './canaryWindow';
import { excessRateLowerBound } from './proportionTest';

/** The numbers behind a comparison with production, as the release status shows them. */
export interface ProductionComparison {
  /** The one-sided confidence of `excess5xxAtLeast`. */
  confidence: number;
  /**
   * Production's counts from other minutes, when compared with those: over the release's earlier
   * windows (at 100% it serves no one), or before the swap (in the bake it runs the new image).
   */
  baseline?: { requests: number; errorRate: number };
  /** Lower bound, at `confidence`, of the slot's 5xx rate minus production's; absent when not compared. */
  excess5xxAtLeast?: number;
  /** The median over the window's minutes of the slot's average response time ÷ production's; absent when not compared. */
  responseTimeRatio?: number;
  /** Minutes of the window in which both the slot and production had a response time. */
  responseTimeMinutes: number;
}

/** What comparing the slot with production found. */
export interface ComparisonOutcome {
  numbers: ProductionComparison;
  /** Why the slot is worse than production; empty when it is not shown to be. */
  failures: string[];
  /** What could not be compared for want of data: a window with any of these is never a pass. */
  undecided: string[];
}

type ComparisonGates = Pick<
  CanaryGates,
  | 'max5xxRateOverProduction'
  | 'comparisonConfidence'
  | 'maxResponseTimeRatioToProduction'
  | 'responseTimeRatioFloorMs'
  | 'minRequests'
  | 'minResponseTimeMinutes'
>;

/**
 * What production's counts are: its own in the same window as the slot's, its own over the release's
 * earlier windows, or the previous image's before the swap (what a bake compares production with).
 */
export type ComparedWith = 'sameWindow' | 'earlierWindows' | 'beforeSwap';

const percent = (rate: number): string => `${(rate * 100).toFixed(2)}%`;
const rounded = (value: number, places: number): number => Number(value.toFixed(places));

/**
 * Compares the slot with production over the same window.
 *
 * 5xx: the slot fails when its 5xx rate exceeds production's by more than
 * `max5xxRateOverProduction` with `comparisonConfidence` (one-sided): the lower bound of the
 * difference (Newcombe's hybrid score interval, see `excessRateLowerBound`) is above the margin.
 * Fewer than `minRequests` on either side leave it undecided.
 *
 * Response time: from the slot's window average of `responseTimeRatioFloorMs` up, the slot fails
 * when the median over the window's minutes of (slot's minute average ÷ production's) is above
 * `maxResponseTimeRatioToProduction`. The median lets one slow minute (a cold cache, a garbage
 * collection) pass and a slot slow most of the window fail. Fewer minutes with data on both sides
 * than `minResponseTimeMinutes` (or than the window has, if it is shorter) leave it undecided.
 * Against other minutes than the slot's (`against` other than `sameWindow`) only the 5xx rates are
 * compared: times of other minutes are not a pair.
 */
export function compareWithProduction(
  slot: WindowCounts,
  production: WindowCounts,
  gates: ComparisonGates,
  against: ComparedWith = 'sameWindow',
): ComparisonOutcome {
  const sameWindow = against === 'sameWindow';
  const failures: string[] = [];
  const undecided: string[] = [];
  const numbers: ProductionComparison = {
    confidence: gates.comparisonConfidence,
    ...(sameWindow
      ? {}
      : {
          baseline: {
            requests: production.requests,
            errorRate: production.requests > 0 ? rounded(production.http5xx / production.requests, 5) : 0,
          },
        }),
    responseTimeMinutes: 0,
  };

  const fewest = Math.min(slot.requests, production.requests);
  if (fewest < gates.minRequests) {
    const side = slot.requests < gates.minRequests ? 'the slot' : 'production';
    undecided.push(
      `only ${fewest} requests reached ${side}; comparing 5xx rates needs ${gates.minRequests} on each side`,
    );
  } else {
    const bound = excessRateLowerBound(
      { failures: slot.http5xx, requests: slot.requests },
      { failures: production.http5xx, requests: production.requests },
      gates.comparisonConfidence,
    );
    numbers.excess5xxAtLeast = rounded(bound, 5);
    if (bound > gates.max5xxRateOverProduction) {
      failures.push(
        `5xx rate ${percent(slot.http5xx / slot.requests)} is over ${baselineName(against, percent(production.http5xx / production.requests))} by at least ${percent(bound)} (${percent(gates.comparisonConfidence)} confidence), more than the ${percent(gates.max5xxRateOverProduction)} allowed`,
      );
    }
  }

  const slotAverageMs = (slot.averageResponseSeconds ?? 0) * 1000;
  if (
    sameWindow &&
    slot.averageResponseSeconds !== undefined &&
    slotAverageMs >= gates.responseTimeRatioFloorMs
  ) {
    const ratios = minuteRatios(slot.responseSecondsByMinute, production.responseSecondsByMinute);
    numbers.responseTimeMinutes = ratios.length;
    const needed = Math.max(1, Math.min(gates.minResponseTimeMinutes, slot.responseSecondsByMinute.length));
    if (ratios.length < needed) {
      undecided.push(
        `only ${ratios.length} minutes had response times on both sides; comparing them needs ${needed}`,
      );
    } else {
      const ratio = median(ratios);
      numbers.responseTimeRatio = rounded(ratio, 2);
      if (ratio > gates.maxResponseTimeRatioToProduction) {
        failures.push(
          `response time is ${ratio.toFixed(1)}× production’s (median of ${ratios.length} minutes; limit ${gates.maxResponseTimeRatioToProduction}×)`,
        );
      }
    }
  }
  return { numbers, failures, undecided };
}

/** Production's 5xx rate `rate` as a reason names it. */
function baselineName(against: ComparedWith, rate: string): string {
  if (against === 'sameWindow') return `production’s ${rate}`;
  if (against === 'earlierWindows') return `production’s earlier ${rate}`;
  return `the ${rate} production had before the swap`;
}

/** Slot ÷ production for each minute in which both answered (the lists are aligned by minute). */
function minuteRatios(slot: readonly (number | null)[], production: readonly (number | null)[]): number[] {
  const ratios: number[] = [];
  slot.forEach((slotSeconds, minute) => {
    const productionSeconds = production[minute];
    if (slotSeconds !== null && typeof productionSeconds === 'number' && productionSeconds > 0)
      ratios.push(slotSeconds / productionSeconds);
  });
  return ratios;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
