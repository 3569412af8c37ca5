import type { Target } from '../config';

/** A restore as asked for: the named backup of the target into `database` on the target's server. */
export interface RestoreAsked {
  target: Target;
  /** The backup's blob name. */
  backup: string;
  database: string;
  /** Whether an existing database may be replaced. */
  overwrite: boolean;
}

/** How a restore step went; the reason is credential-free. */
export type RestoreStepResult = { ok: true } | { ok: false; reason: string };
