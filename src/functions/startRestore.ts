import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { assessRestore } from '../activities/checkRestore';
import type { BackupServices } from '../backupServices';
import { databaseName } from '../databaseSettings';
import type { Config, Target } from '../config';
import type { RestoreDecision } from '../domain/backupRestorePlan';
import { restoreOrchestrator } from '../functionNames';
import { targetSnapshot } from '../orchestrations/releaseModel';
import type { RestoreRequest } from '../orchestrations/restoreModel';
import { redactedMessage } from '../azure/postgresSecrets';
import { acceptedOperation } from './acceptedOperation';
import { backupTargetOf } from './backupTarget';
import { adminRole, callerHasRole, callerOf } from './caller';
import type { KeyLevel } from './caller';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';

/** What names the backup and where it goes, on either route. */
const restoreFields = { backup: z.string().min(1).max(1024), database: databaseName };

/** What each route takes: the function-key route may ask to overwrite; the admin route always may. */
const requests = {
  function: {
    expected: '{"backup": "<backup name>", "database": "<new database>", "overwrite"?: true}',
    body: z.object({ ...restoreFields, overwrite: z.boolean().default(false) }).strict(),
  },
  admin: {
    expected: '{"backup": "<backup name>", "database": "<database to replace or create>"}',
    body: z.object({ ...restoreFields, overwrite: z.literal(true).default(true) }).strict(),
  },
} satisfies Record<KeyLevel, { expected: string; body: z.ZodType }>;

/** The answer to a refused restore: nothing to restore (404), or not without more (409). */
const refusalStatus: Record<Extract<RestoreDecision, { action: 'refuse' }>['problem'], 404 | 409> = {
  backupNotFound: 404,
  backupNotUsable: 409,
  databaseExists: 409,
};

/**
 * `POST /api/targets/{target}/restores` with `{ "backup", "database", "overwrite"? }` (function key):
 * restores a verified backup into a new database. Replacing an existing one (`"overwrite": true`) is
 * destructive, so this route allows it only to a caller App Service authentication signed in with the
 * `Shepherd.Admin` app role; anyone else gets 403 saying how (see `startOverwritingRestore`).
 */
export function startRestore(config: Config, services: BackupServices): HttpHandler {
  return restoreHandler(config, services, 'function');
}

/**
 * `POST /api/targets/{target}/restores/overwrite` with `{ "backup", "database" }` (admin level: the
 * host's master key): restores a verified backup over the database, or into it when it is new.
 */
export function startOverwritingRestore(config: Config, services: BackupServices): HttpHandler {
  return restoreHandler(config, services, 'admin');
}

/**
 * Checks what can be checked here, so a refused request starts nothing, then starts the restore as
 * durable work and answers 202 with where to follow it. The caller is recorded (see `callerOf`).
 */
function restoreHandler(config: Config, services: BackupServices, key: KeyLevel): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = backupTargetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    const asked = await readRestoreRequest(req, key);
    if ('problem' in asked) return asked.problem;
    const { target } = found;
    if (
      key === 'function' &&
      asked.overwrite &&
      !callerHasRole(req.headers, config.easyAuthEnabled, adminRole)
    )
      return overwriteRefused(target, config.easyAuthEnabled);
    let decision: RestoreDecision;
    try {
      decision = await assessRestore(services, { target, ...asked });
    } catch (err) {
      context.error(`checking a restore for ${target.name} failed: ${redactedMessage(err, [])}`);
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
      target: targetSnapshot(target),
      requestedBy: callerOf(req.headers, config.easyAuthEnabled, key),
    };
    const instanceId = await df.getClient(context).startNew(restoreOrchestrator, { input: request });
    context.log(
      `restore of ${asked.backup} into ${asked.database}${decision.action === 'replace' ? ', replacing it,' : ''} ` +
        `(${instanceId}) asked by ${request.requestedBy}`,
    );
    return acceptedOperation(target.name, instanceId, 'restore');
  };
}

async function readRestoreRequest(
  req: HttpRequest,
  key: KeyLevel,
): Promise<{ backup: string; database: string; overwrite: boolean } | { problem: HttpResponseInit }> {
  const { expected, body } = requests[key];
  const read = await readJsonBody(req, expected);
  if ('problem' in read) return read;
  const parsed = body.safeParse(read.body);
  if (parsed.success) return parsed.data;
  return {
    problem: problemResponse(400, 'Bad Request', `A restore is asked for as ${expected}.`, {
      errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), problem: i.message })),
    }),
  };
}

/** The 403 to a function-key caller asking to overwrite without the role: what would do it instead. */
function overwriteRefused(target: Target, easyAuthEnabled: boolean): HttpResponseInit {
  const route = `POST /api/targets/${target.name}/restores/overwrite`;
  const role = easyAuthEnabled
    ? `, or sign in through App Service authentication with the ${adminRole} app role`
    : `, or turn on App Service authentication and sign in with the ${adminRole} app role`;
  return problemResponse(
    403,
    'Forbidden',
    `Replacing a database needs more than the function key: ask ${route} with the admin (master) key${role}.`,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
