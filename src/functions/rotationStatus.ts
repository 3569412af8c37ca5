import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { toInstanceView } from './instanceView';
import { problemResponse } from './problem';

/** `GET /api/rotations/{id}`: where a rotation stands, or how it ended, with its runtime state. */
export const rotationStatus: HttpHandler = async (req, context): Promise<HttpResponseInit> => {
  const id = req.params.id ?? '';
  const status = id.startsWith('rotation:')
    ? await df
        .getClient(context)
        .getStatus(id)
        .catch(() => undefined)
    : undefined;
  if (!status) return problemResponse(404, 'Not Found', `There is no rotation ${id}.`);
  return { status: 200, jsonBody: toInstanceView(status) };
};
