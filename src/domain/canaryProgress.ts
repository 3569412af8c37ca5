import type { Verdict } from './canaryWindow';

/** How a canary's analysis stands between windows. */
export interface CanaryTally {
  failedWindows: number;
  inconclusiveInARow: number;
}

export interface CanaryLimits {
  /** This many failed windows roll the release back. */
  failureLimit: number;
  /** This many inconclusive windows in a row roll it back: a canary that cannot be judged is not promoted. */
  inconclusiveLimit: number;
}

export type CanaryStep =
  | { action: 'advance'; tally: CanaryTally }
  | { action: 'repeat'; tally: CanaryTally; reason: string }
  | { action: 'rollback'; tally: CanaryTally; reason: string };

export const freshTally: CanaryTally = { failedWindows: 0, inconclusiveInARow: 0 };

/**
 * What follows a judged window: a pass moves to the next traffic step; a failure or an inconclusive
 * window stays on this step for another window, until its limit rolls the release back.
 */
export function decideAfterWindow(tally: CanaryTally, verdict: Verdict, limits: CanaryLimits): CanaryStep {
  if (verdict === 'pass') return { action: 'advance', tally: { ...tally, inconclusiveInARow: 0 } };
  if (verdict === 'fail') {
    const next = { failedWindows: tally.failedWindows + 1, inconclusiveInARow: 0 };
    return next.failedWindows >= limits.failureLimit
      ? {
          action: 'rollback',
          tally: next,
          reason: `${next.failedWindows} failed window(s) reached the limit of ${limits.failureLimit}`,
        }
      : {
          action: 'repeat',
          tally: next,
          reason: `failed window ${next.failedWindows} of ${limits.failureLimit} allowed`,
        };
  }
  const next = { ...tally, inconclusiveInARow: tally.inconclusiveInARow + 1 };
  return next.inconclusiveInARow >= limits.inconclusiveLimit
    ? {
        action: 'rollback',
        tally: next,
        reason: `${next.inconclusiveInARow} inconclusive windows in a row reached the limit of ${limits.inconclusiveLimit}`,
      }
    : { action: 'repeat', tally: next, reason: `inconclusive window ${next.inconclusiveInARow} in a row` };
}
