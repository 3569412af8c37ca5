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

/** Counts `items` of a plan and the `results` of those carried out so far. */
export function countCleanup(items: readonly CleanupItem[], results: readonly ItemResult[]): CleanupCounts {
  const kept: Record<string, number> = {};
  for (const item of items.filter((i) => i.action === 'keep')) {
    const reason = item.reasons[0] ?? 'kept';
    kept[reason] = (kept[reason] ?? 0) + 1;
  }
  return {
    done: results.filter((r) => r.outcome !== 'failed').length,
    kept,
    reported: items.filter((i) => i.action === 'report').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
  };
}
