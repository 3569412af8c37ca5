import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { z } from 'zod';
import type { Config } from '../config';
import { backupOrchestrator, restoreOrchestrator } from '../functionNames';
import { followHeaders } from './acceptedOperation';
import { problemResponse } from './problem';
import { targetOf } from './targetOf';

/** The orchestrations this route shows, by name; releases have their own. */
const kinds = new Map<string, 'backup' | 'restore'>([
  [backupOrchestrator, 'backup'],
  [restoreOrchestrator, 'restore'],
]);

/** The part of a backup's or restore's input that says whose it is. */
const ownedInput = z.object({ target: z.object({ name: z.string() }) });

const inProgress = new Set<string>([
  df.OrchestrationRuntimeStatus.Pending,
  df.OrchestrationRuntimeStatus.Running,
  df.OrchestrationRuntimeStatus.ContinuedAsNew,
]);

/**
 * `GET /api/targets/{target}/operations/{id}`: a backup or restore run of the target, as its 202 named
 * it: runtime status, custom status, output and times. 202 (with `Location` and `Retry-After`) while
 * it runs, 200 once it has ended. Anything else, including another target's run, is 404: a key holder
 * following one target's work cannot read another's, nor any other durable instance.
 */
export function operationStatus(config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = targetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    const target = found.target.name;
    const id = req.params.id ?? '';
    const status = await statusOf(df.getClient(context), id);
    const kind = status === undefined ? undefined : kinds.get(status.name);
    if (status === undefined || kind === undefined || ownerOf(status) !== target)
      return problemResponse(404, 'Not Found', `The target ${target} has no backup or restore ${id}.`);
    const running = inProgress.has(status.runtimeStatus);
    return {
      status: running ? 202 : 200,
      headers: { 'cache-control': 'no-store', ...(running ? followHeaders(target, id) : {}) },
      jsonBody: {
        id,
        kind,
        target,
        runtimeStatus: status.runtimeStatus,
        customStatus: status.customStatus,
        output: status.output,
        createdTime: status.createdTime,
        lastUpdatedTime: status.lastUpdatedTime,
      },
    };
  };
}

/** The instance's status, or undefined when the durable extension has no such instance. */
async function statusOf(client: DurableClient, id: string): Promise<DurableOrchestrationStatus | undefined> {
  if (id === '') return undefined;
  try {
    return await client.getStatus(id, { showInput: true });
  } catch (err) {
    // durable-functions turns the extension's 404 into an error saying so; anything else is a failure.
    if (err instanceof Error && /\bHTTP 404\b/.test(err.message)) return undefined;
    throw err;
  }
}

function ownerOf(status: DurableOrchestrationStatus): string | undefined {
  return ownedInput.safeParse(status.input).data?.target.name;
}
