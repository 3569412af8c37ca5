import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import type { Config } from '../config';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { abortRelease, runningReleaseOf } from './runningRelease';

export const rollbackTargetFunction = 'rollbackTarget';

const body = z.object({ reason: z.string().trim().min(1, 'say why') });

/**
 * `POST /api/targets/{target}/rollback` with `{ "reason": "…" }`: stops the target's running release,
 * which rolls back. The caller is recorded: the Easy Auth principal when there is one.
 */
export function rollbackTarget(config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const name = req.params.target ?? '';
    if (!config.targets.some((t) => t.name === name))
      return problemResponse(404, 'Not Found', `There is no target ${name}.`);
    const read = await readJsonBody(req, '{"reason": "…"}');
    if ('problem' in read) return read.problem;
    const parsed = body.safeParse(read.body);
    if (!parsed.success)
      return problemResponse(400, 'Bad Request', 'A rollback needs a reason: {"reason": "…"}.');
    const by = req.headers.get('x-ms-client-principal-name') ?? 'a holder of the function key';
    const client = df.getClient(context);
    const releaseId = await runningReleaseOf(client, name);
    if (releaseId === undefined) {
      return problemResponse(
        409,
        'Conflict',
        `No release of ${name} is running; putting the last known good image back is not built yet.`,
      );
    }
    await abortRelease(client, releaseId, { by, reason: parsed.data.reason });
    context.log(`rollback of ${name} (${releaseId}) asked by ${by}`);
    return { status: 202, jsonBody: { aborted: releaseId } };
  };
}
