import type { CleanupCounts } from '../domain/cleanupCounts';
import type { CleanupItem, CleanupKind } from '../domain/cleanupPlan';

/** Who asked for a cleanup run: its schedule, or a person (with why). */
export interface CleanupRequest {
  via: 'schedule' | 'person';
  by: string;
  reason?: string;
}

export interface CleanupInput {
  kind: CleanupKind;
  requestedBy: CleanupRequest;
}

/** A part of a run's plan carried out by one sub-orchestration, so no history grows with the plan. */
export interface CleanupChunkInput {
  kind: CleanupKind;
  items: CleanupItem[];
}

/** What carrying out one item came to. */
export type ItemOutcome =
  { id: string; outcome: 'done' | 'gone' } | { id: string; outcome: 'failed'; reason: string };

/** A cleanup run's custom status and output. */
export interface CleanupStatus {
  kind: CleanupKind;
  phase: 'planning' | 'carryingOut' | 'done';
  requestedBy: CleanupRequest;
  counts: CleanupCounts;
  /** Items that could not be carried out, with why (at most a few in the custom status). */
  failures: { id: string; what: string; reason: string }[];
  /** What drift found and reported (drift runs only). */
  reported?: { id: string; what: string; reasons: string[] }[];
  outcome?: 'succeeded' | 'partlyFailed' | 'failed';
  reason?: string;
}
