import type { Target } from '../config';

/** What a restore is started with: a snapshot of the target, what to restore where, and who asked. */
export interface RestoreRequest {
  target: Target;
  backup: string;
  database: string;
  overwrite: boolean;
  requestedBy: string;
}

export type RestorePhase = 'checking' | 'creatingDatabase' | 'restoring' | 'done';
export type RestoreOutcome = 'succeeded' | 'failed' | 'refused';

/** The restore's custom status: where it stands and, once done, how it ended and why. */
export interface RestoreStatus {
  target: string;
  backup: string;
  database: string;
  requestedBy: string;
  overwrite: boolean;
  /** Whether an existing database was (or is being) replaced; known once checked. */
  replacesExisting: boolean | null;
  phase: RestorePhase;
  outcome?: RestoreOutcome;
  reason?: string;
}
