import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import type { Config } from '../config';
import { reasonText } from './payloads/fields';
import { parseWith } from './payloads/parseResult';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { abortReleases, activeReleasesOf, startKnownGoodRollback } from '../releaseControl';
import { callerOf } from './caller';
import { targetOf } from './targetOf';

const body = z.object({ reason: reasonText });

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
    const parsed = parseWith(body, read.body);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'A rollback needs a reason: {"reason": "…"}.', {
        errors: parsed.problems,
      });
    const requestedBy = {
      by: callerOf(req.headers, config.easyAuthEnabled),
      reason: parsed.value.reason,
    };
    const client = df.getClient(context);
    const running = (await activeReleasesOf(client, name)).map((r) => r.id);
    const { promotedFirst } = await abortReleases(client, running, requestedBy);
    const stopping = running.filter((id) => !promotedFirst.includes(id));
    if (stopping.length > 0) {
      context.log(`rollback of ${name} asked by ${requestedBy.by}: aborted ${stopping.join(', ')}`);
      return { status: 202, jsonBody: { aborted: stopping } };
    }
    // Nothing runs, or what ran promoted its image just before the request reached it.
    const releaseId = await startKnownGoodRollback(client, target, requestedBy);
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
