import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import type { FreezeStore } from '../azure/freezeStore';
import type { Config } from '../config';
import { describeScope, settingFreezes } from '../domain/freeze';
import type { Freeze } from '../domain/freeze';
import { freezesInForce } from '../freezeControl';
import { problemResponse } from './problem';

/** A freeze as the API shows it: what it holds in words beside the record. */
function view(freeze: Freeze): Freeze & { holds: string } {
  return { ...freeze, holds: describeScope(freeze.scope) };
}

/**
 * `GET /api/freezes[?history=true]`: what is frozen now and why (every source, the setting's static
 * freezes included), oldest first; with `history=true`, lifted and expired freezes too.
 */
export function listFreezes(config: Config, store: FreezeStore): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const names = [...req.query.keys()].filter((n) => n !== 'code');
    const history = req.query.get('history');
    if (names.some((n) => n !== 'history') || (history !== null && !['true', 'false'].includes(history)))
      return problemResponse(400, 'Bad Request', 'The only parameter is history=true or history=false.');
    try {
      const freezes =
        history === 'true'
          ? [...settingFreezes(config.frozenEnvironments), ...(await store.all())]
          : await freezesInForce(config, store);
      freezes.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
      return { status: 200, jsonBody: { freezes: freezes.map(view) } };
    } catch (err) {
      // Adapter errors are AzureOperationErrors: free of keys, tokens and signed URLs.
      context.error(`reading the freeze store failed: ${err instanceof Error ? err.message : String(err)}`);
      return problemResponse(503, 'Service Unavailable', 'The freeze store could not be read; try again.');
    }
  };
}
