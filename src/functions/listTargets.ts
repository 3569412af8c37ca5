import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import type { Config } from '../config';
import { freezesInForce } from '../freezeControl';
import { overviewOfAll } from '../targetOverview';
import type { FreezesRead, TargetReads } from '../targetOverview';

/**
 * `GET /api/targets`: every target of the targets file with what its production and slot run, its
 * known-good images, the freezes holding it and its release in progress. Each read stands alone: one
 * that fails is named under the target's `unknown` with why, and the list is answered all the same.
 */
export function listTargets(config: Config, reads: TargetReads, freezeStore: FreezeStore): HttpHandler {
  return async (_req, context): Promise<HttpResponseInit> => {
    const now = Date.now();
    const freezes: FreezesRead = await freezesInForce(config, freezeStore, now).then(
      (found) => ({ freezes: found }),
      (err: unknown) => {
        // Adapter errors are AzureOperationErrors: free of keys, tokens and signed URLs.
        context.warn(
          `the freeze store could not be read: ${err instanceof Error ? err.message : String(err)}`,
        );
        return { unknown: 'the freeze store could not be read; try again' };
      },
    );
    const targets = await overviewOfAll(config, reads, df.getClient(context), freezes, now);
    for (const { name, unknown } of targets)
      if (unknown !== undefined)
        context.warn(
          `target ${name}: ${Object.entries(unknown)
            .map(([read, why]) => `${read} unknown (${why})`)
            .join('; ')}`,
        );
    return { status: 200, jsonBody: { targets } };
  };
}
