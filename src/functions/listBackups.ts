import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import type { BackupServices } from '../backupServices';
import type { Config } from '../config';
import { backupPrefix } from '../domain/backupName';
import { isUsableBackup, newestFirst } from '../domain/backupRecord';
import type { BackupRecord } from '../domain/backupRecord';
import { redactedMessage } from '../azure/postgresSecrets';
import { backupTargetOf } from './backupTarget';
import { problemResponse } from './problem';

/**
 * `GET /api/targets/{target}/backups`: the target's backups, newest first, each with its verification
 * state; only those marked `usable` (verified) can be restored.
 */
export function listBackups(config: Config, services: BackupServices): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = backupTargetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    let records: BackupRecord[];
    try {
      records = newestFirst(await services.store.list(backupPrefix(found.target.name)));
    } catch (err) {
      context.error(`listing the backups of ${found.target.name} failed: ${redactedMessage(err, [])}`);
      return problemResponse(503, 'Service Unavailable', 'The backups could not be listed; try again.');
    }
    return {
      status: 200,
      jsonBody: {
        target: found.target.name,
        backups: records.map((r) => ({ ...r, usable: isUsableBackup(r) })),
      },
    };
  };
}
