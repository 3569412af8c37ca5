import type { HttpHandler, HttpResponse, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { assessRestore } from '../activities/checkRestore';
import type { BackupServices } from '../backupServices';
import { databaseName } from '../config';
import type { Config } from '../config';
import type { RestoreDecision } from '../domain/backupRestorePlan';
import { restoreOrchestrator } from '../orchestrations/restoreModel';
import { targetSnapshot } from '../orchestrations/releaseModel';
import type { RestoreRequest } from '../orchestrations/restoreModel';
import { redactedMessage } from '../azure/postgresSecrets';
import { backupTargetOf } from './backupTarget';
import { callerOf } from './targetOf';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';

export const startRestoreFunction = 'startRestore';

const expected = '{"backup": "<backup name>", "database": "<new database>", "overwrite"?: true}';

const body = z
  .object({
    backup: z.string().min(1).max(1024),
    database: databaseName,
    overwrite: z.boolean().default(false),
  })
  .strict();

/** The answer to a refused restore: nothing to restore (404), or not without more (409). */
const refusalStatus: Record<Extract<RestoreDecision, { action: 'refuse' }>['problem'], 404 | 409> = {
  backupNotFound: 404,
  backupNotUsable: 409,
  databaseExists: 409,
};

/**
 * `POST /api/targets/{target}/restores` with `{ "backup", "database", "overwrite"? }`: restores a
 * verified backup into a new database, or over an existing one only with `"overwrite": true`, as
 * durable work. What can be checked is checked here, so a refused request starts nothing; the caller
 * is recorded (the Easy Auth principal when there is one).
 */
export function startRestore(config: Config, services: BackupServices): HttpHandler {
  return async (req, context): Promise<HttpResponseInit | HttpResponse> => {
    const found = backupTargetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    const read = await readJsonBody(req, expected);
    if ('problem' in read) return read.problem;
    const parsed = body.safeParse(read.body);
    if (!parsed.success) {
      return problemResponse(400, 'Bad Request', `A restore is asked for as ${expected}.`, {
        errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), problem: i.message })),
      });
    }
    const asked = { target: found.target, ...parsed.data };
    let decision: RestoreDecision;
    try {
      decision = await assessRestore(services, asked);
    } catch (err) {
      context.error(`checking a restore for ${found.target.name} failed: ${redactedMessage(err, [])}`);
      return problemResponse(
        503,
        'Service Unavailable',
        'The backup or the database could not be checked; try again.',
      );
    }
    if (decision.action === 'refuse') {
      const status = refusalStatus[decision.problem];
      return problemResponse(
        status,
        status === 404 ? 'Not Found' : 'Conflict',
        `${capitalize(decision.reason)}.`,
      );
    }
    const request: RestoreRequest = {
      ...asked,
      target: targetSnapshot(found.target),
      requestedBy: callerOf(req.headers),
    };
    const client = df.getClient(context);
    const instanceId = await client.startNew(restoreOrchestrator, { input: request });
    context.log(
      `restore of ${asked.backup} into ${asked.database}${decision.action === 'replace' ? ', replacing it,' : ''} ` +
        `(${instanceId}) asked by ${request.requestedBy}`,
    );
    return client.createCheckStatusResponse(req, instanceId);
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
