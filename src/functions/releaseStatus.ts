import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { problemResponse } from './problem';
import { toInstanceView } from './instanceView';

export const releaseStatusFunction = 'releaseStatus';

/** `GET /api/releases/{id}`: what the release's custom status says, with its runtime state. */
export const releaseStatus: HttpHandler = async (req, context): Promise<HttpResponseInit> => {
  const id = req.params.id ?? '';
  const status = await df
    .getClient(context)
    .getStatus(id)
    .catch(() => undefined);
  if (!status) return problemResponse(404, 'Not Found', `There is no release ${id}.`);
  return { status: 200, jsonBody: toInstanceView(status) };
};
