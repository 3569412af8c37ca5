/** What Shepherd cleans up on schedule, or on request. */
export const cleanupKinds = ['registry', 'backups', 'history', 'drift'] as const;
export type CleanupKind = (typeof cleanupKinds)[number];

/**
 * One thing a cleanup looked at, and what it does with it: deletes it, keeps it, fixes it (drift
 * Shepherd puts right) or reports it to people. Every item says why, so a dry run explains itself.
 */
export interface CleanupItem {
  /** Stable and readable: `registry:contoso/web@sha256:…`, `backup:web/…dump`, `instance:release:web:…`, `drift:web:routing`. */
  id: string;
  /** What it is, for people: `contoso/web:1.2.0 (sha256:ab12…)`. */
  what: string;
  action: 'delete' | 'keep' | 'fix' | 'report';
  /** Why it is deleted, kept, fixed or reported: short reasons, e.g. `running in web/production`. */
  reasons: string[];
  /** What carrying it out needs (a digest, a blob name, an instance id): plain JSON, never a secret. */
  detail?: Record<string, string | number | boolean>;
}

/** Everything one cleanup run looked at, planned before anything is changed. */
export interface CleanupPlan {
  kind: CleanupKind;
  /** When the plan was made: ISO 8601, UTC. */
  at: string;
  items: CleanupItem[];
}
