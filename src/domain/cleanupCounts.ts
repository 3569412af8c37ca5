import type { CleanupItem } from './cleanupPlan';

/** What carrying out one item came to, as a run counts it. */
export interface ItemResult {
  id: string;
  outcome: 'done' | 'gone' | 'failed';
}

/** A run's counts: done (deleted or fixed, or found gone), kept by first reason, reported, failed. */
export interface CleanupCounts {
  done: number;
  kept: Record<string, number>;
  reported: number;
  failed: number;
}

/** Reasons counted apart in `kept`; the rarer ones are counted together. */
const reasonsCounted = 12;

/** A reason as counted: digests elided, so `attached to kept sha256:…` counts as one reason. */
function reasonKey(reason: string): string {
  return reason.replace(/sha256:[0-9a-f]+…?/g, 'sha256:…');
}

/**
 * Counts `items` of a plan and the `results` of those carried out so far. Kept items are counted by
 * their first reason, the most common `reasonsCounted` apart and the rest as `other reasons`.
 */
export function countCleanup(items: readonly CleanupItem[], results: readonly ItemResult[]): CleanupCounts {
  const byReason = new Map<string, number>();
  for (const item of items.filter((i) => i.action === 'keep')) {
    const reason = reasonKey(item.reasons[0] ?? 'kept');
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const ranked = [...byReason.entries()].sort((a, b) => b[1] - a[1]);
  const kept: Record<string, number> = Object.fromEntries(ranked.slice(0, reasonsCounted));
  const rest = ranked.slice(reasonsCounted).reduce((sum, [, n]) => sum + n, 0);
  if (rest > 0) kept['other reasons'] = rest;
  return {
    done: results.filter((r) => r.outcome !== 'failed').length,
    kept,
    reported: items.filter((i) => i.action === 'report').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
  };
}
