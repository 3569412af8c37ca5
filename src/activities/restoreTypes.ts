import type { BackupServices } from '../backupServices';
import type { Target } from '../config';
import type { PgConnection } from '../azure/postgresConnection';
import { redactedMessage } from '../azure/postgresSecrets';

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

/**
 * Runs one restore step on a connection to the target's server. Whatever fails, the step ends with a
 * reason from which the connection's password is removed (`explain` says what the step was doing).
 */
export async function onTargetServer(
  services: BackupServices,
  target: Target,
  explain: (message: string) => string,
  step: (connection: PgConnection) => Promise<void>,
): Promise<RestoreStepResult> {
  if (target.database === undefined)
    return { ok: false, reason: `the target ${target.name} has no database` };
  const secrets: string[] = [];
  try {
    const connection = await services.credentials.connectionTo(target.database);
    secrets.push(connection.password);
    await step(connection);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: explain(redactedMessage(err, secrets)) };
  }
}
