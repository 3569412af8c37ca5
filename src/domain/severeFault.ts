import { normalQuantile } from './normalQuantile';
import { wilsonInterval } from './proportionTest';

/** The rule that rolls a canary back in the middle of its window (a target's `failFast` with its `max5xxRate`). */
export interface SevereFaultRule {
  /** The slot's 5xx gate (`gates.max5xxRate`). */
  max5xxRate: number;
  /** Confidence of the one-sided interval whose lower bound must clear the gate, e.g. 0.999. */
  level: number;
  /** Fewer user requests than this are never a severe fault, however many failed. */
  minRequests: number;
  /** This many probe rounds failing in a row are a severe fault. */
  probeFailuresInARow: number;
}

/** What the watch has seen of the slot so far in a canary step (its probes' own requests left out). */
export interface WatchEvidence {
  /** User requests the slot served so far, from Azure Monitor's minutes that have arrived. */
  requests: number;
  http5xx: number;
  /** Probe rounds that failed in a row, up to the latest. */
  probeFailuresInARow: number;
}

/** The rule's finding, with the numbers behind it for the status and the audit trail. */
export interface SevereFaultFinding {
  severe: boolean;
  reason: string;
  requests: number;
  errors: number;
  /** The lower bound of the slot's 5xx rate at `level`; absent below the minimum of requests. */
  lowerBound: number | undefined;
  level: number;
  probeFailuresInARow: number;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(2)}%`;

/**
 * Whether the evidence so far is overwhelming enough to roll back now, before the window ends: the
 * lower bound of a one-sided Wilson score interval at `level` of the slot's 5xx rate is above the gate
 * (with at least `minRequests` user requests), or the probes failed `probeFailuresInARow` rounds in a
 * row. A rate merely above the gate is not enough: a doubtful window is for the window's judgement.
 */
export function judgeSevereFault(evidence: WatchEvidence, rule: SevereFaultRule): SevereFaultFinding {
  const { requests, http5xx: errors, probeFailuresInARow } = evidence;
  const lowerBound =
    requests >= rule.minRequests ? wilsonLowerBound(errors, requests, rule.level) : undefined;
  const numbers = { requests, errors, lowerBound, level: rule.level, probeFailuresInARow };
  const confidence = `${(rule.level * 100).toFixed(1)}%`;
  if (lowerBound !== undefined && lowerBound > rule.max5xxRate)
    return {
      severe: true,
      reason: `severe fault: ${errors} of ${requests} requests failed; with ${confidence} confidence the 5xx rate is at least ${percent(lowerBound)}, over the ${percent(rule.max5xxRate)} gate`,
      ...numbers,
    };
  if (probeFailuresInARow >= rule.probeFailuresInARow)
    return {
      severe: true,
      reason: `severe fault: the slot failed ${probeFailuresInARow} probe rounds in a row`,
      ...numbers,
    };
  return { severe: false, reason: 'no severe fault so far', ...numbers };
}

/**
 * The lower bound of the one-sided Wilson score interval at `level` for a rate of `errors` in
 * `requests`, with continuity correction (`wilsonInterval`, shared with the comparison against
 * production): the conservative form, so that a handful of errors never proves a severe fault.
 */
export function wilsonLowerBound(errors: number, requests: number, level: number): number {
  if (requests <= 0) return 0;
  return Math.max(0, wilsonInterval({ failures: errors, requests }, normalQuantile(level)).lower);
}
