import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { Config } from '../config';
import { backupOrchestrator } from '../functionNames';
import type { BackupRequest } from '../orchestrations/backupModel';
import { targetSnapshot } from '../orchestrations/releaseModel';
import { acceptedOperation } from './acceptedOperation';
import { backupTargetOf } from './backupTarget';
import { callerOf } from './caller';

/**
 * `POST /api/targets/{target}/backups`: takes a backup of the target's database now, as durable work.
 * Answers 202 with `Location` on `GET /api/targets/{target}/operations/{id}`, which says what was backed
 * up, or why it failed.
 */
export function startBackup(config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = backupTargetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    const request: BackupRequest = {
      target: targetSnapshot(found.target),
      requestedBy: callerOf(req.headers, config.easyAuthEnabled),
    };
    const instanceId = await df.getClient(context).startNew(backupOrchestrator, { input: request });
    context.log(`backup of ${found.target.name} (${instanceId}) asked by ${request.requestedBy}`);
    return acceptedOperation(found.target.name, instanceId, 'backup');
  };
}
