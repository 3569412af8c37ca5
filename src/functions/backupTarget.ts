import type { HttpResponseInit } from '@azure/functions';
import type { Config, Target } from '../config';
import { problemResponse } from './problem';

/** The target named in a backup or restore route, with its database, or the problem to answer. */
export function backupTargetOf(
  config: Config,
  name: string | undefined,
): { target: Target } | { problem: HttpResponseInit } {
  const target = config.targets.find((t) => t.name === name);
  if (!target) return { problem: problemResponse(404, 'Not Found', `There is no target ${name ?? ''}.`) };
  if (target.database === undefined) {
    return {
      problem: problemResponse(
        409,
        'Conflict',
        `The target ${target.name} has no database; backups need one in its settings.`,
      ),
    };
  }
  return { target };
}

/** Who asked: the Easy Auth principal when there is one. */
export function callerOf(headers: Headers): string {
  return headers.get('x-ms-client-principal-name') ?? 'a holder of the function key';
}
