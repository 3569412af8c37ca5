import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { queryInstances } from '../azure/taskHubInstances';
import type { Config } from '../config';
import { releaseIdPrefix } from '../domain/releaseId';
import { problemResponse } from './problem';
import { toInstanceView } from './instanceView';
import { targetOf } from './targetOf';

const defaultCount = 20;
const maxCount = 100;

/**
 * `GET /api/targets/{target}/releases[?top=N]`: the target's most recent releases and restores,
 * newest first (20 unless `top` asks for up to 100), each as `GET /api/releases/{id}` shows it.
 * Only the target's own instances are read, by their id prefix, never the whole task hub.
 */
export function targetReleases(config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = targetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    const { name } = found.target;
    const top = req.query.get('top');
    const count = top === null ? defaultCount : Number(top);
    if (!Number.isInteger(count) || count < 1 || count > maxCount)
      return problemResponse(400, 'Bad Request', `top must be a whole number from 1 to ${maxCount}.`);
    const own = await queryInstances(df.getClient(context), { instanceIdPrefix: releaseIdPrefix(name) });
    const releases = own
      .sort((a, b) => b.createdTime.getTime() - a.createdTime.getTime())
      .slice(0, count)
      .map(toInstanceView);
    return { status: 200, jsonBody: { target: name, releases } };
  };
}
