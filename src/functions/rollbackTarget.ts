import { randomBytes } from 'node:crypto';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import type { Config } from '../config';
import { rollbackInstanceId } from '../domain/releaseId';
import { releaseOrchestrator, targetSnapshot } from '../orchestrations/releaseModel';
import type { ReleaseInput } from '../orchestrations/releaseModel';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { abortReleases, activeReleasesOf } from '../releaseControl';
import { callerOf } from './caller';
import { targetOf } from './targetOf';

export const rollbackTargetFunction = 'rollbackTarget';

const body = z.object({ reason: z.string().trim().min(1, 'say why') });

/**
 * `POST /api/targets/{target}/rollback` with `{ "reason": "…" }`: stops the target's running release,
 * which rolls back; when none runs, starts a rollback that puts the last known good image back in
 * production. The caller is recorded: the Easy Auth principal when App Service authentication is on.
 */
export function rollbackTarget(config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = targetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    const { target } = found;
    const { name } = target;
    const read = await readJsonBody(req, '{"reason": "…"}');
    if ('problem' in read) return read.problem;
    const parsed = body.safeParse(read.body);
    if (!parsed.success)
      return problemResponse(400, 'Bad Request', 'A rollback needs a reason: {"reason": "…"}.');
    const requestedBy = {
      by: callerOf(req.headers, config.easyAuthEnabled),
      reason: parsed.data.reason,
    };
    const client = df.getClient(context);
    const running = (await activeReleasesOf(client, name)).map((r) => r.id);
    if (running.length > 0) {
      await abortReleases(client, running, requestedBy);
      context.log(`rollback of ${name} asked by ${requestedBy.by}: aborted ${running.join(', ')}`);
      return { status: 202, jsonBody: { aborted: running } };
    }
    const releaseId = rollbackInstanceId(name, randomBytes(8).toString('hex'));
    const input: ReleaseInput = { kind: 'rollback', releaseId, target: targetSnapshot(target), requestedBy };
    await client.startNew(releaseOrchestrator, { instanceId: releaseId, input });
    context.log(
      `rollback of ${name} asked by ${requestedBy.by}: putting the known good image back (${releaseId})`,
    );
    return {
      status: 202,
      headers: { location: `/api/releases/${encodeURIComponent(releaseId)}` },
      jsonBody: { rollingBack: releaseId },
    };
  };
}
