import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import { describeScope } from '../domain/freeze';
import { problemResponse } from './problem';
import { toInstanceView } from './instanceView';

/**
 * `GET /api/releases/{id}`: what the release's custom status says, with its runtime state, and the
 * freezes that began while it ran (it was allowed to finish). The freezes are best effort: a store
 * out of reach leaves them out rather than hiding the release.
 */
export function releaseStatus(freezes: FreezeStore): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const id = req.params.id ?? '';
    const status = await df
      .getClient(context)
      .getStatus(id)
      .catch(() => undefined);
    if (!status) return problemResponse(404, 'Not Found', `There is no release ${id}.`);
    const began = await freezes.all().then(
      (all) =>
        all
          .filter((f) => f.releasesRunning.includes(id))
          .map((f) => ({
            holds: describeScope(f.scope),
            source: f.source,
            reason: f.reason,
            ...(f.since === undefined ? {} : { since: f.since }),
          })),
      (err: unknown) => {
        context.warn(
          `the freeze store could not be read: ${err instanceof Error ? err.message : String(err)}`,
        );
        return [];
      },
    );
    return {
      status: 200,
      jsonBody: {
        ...toInstanceView(status),
        ...(began.length > 0 ? { freezesBeganWhileRunning: began } : {}),
      },
    };
  };
}
