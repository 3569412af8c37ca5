import type { HttpResponseInit } from '@azure/functions';
import type { Config, Target } from '../config';
import { problemResponse } from './problem';
import { targetOf } from './targetOf';

/** The target named in a backup or restore route, with its database, or the problem to answer. */
export function backupTargetOf(
  config: Config,
  name: string | undefined,
): { target: Target } | { problem: HttpResponseInit } {
  const found = targetOf(config, name);
  if ('problem' in found) return found;
  const { target } = found;
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
