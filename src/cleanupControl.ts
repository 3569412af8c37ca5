import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { queryInstances } from './azure/taskHubInstances';
import type { CleanupKind, CleanupPlan } from './domain/cleanupPlan';
import { cleanupOrchestrator } from './functionNames';
import type { CleanupInput, CleanupRequest } from './orchestrations/cleanupModel';
import { startOnce } from './startOnce';

/** Makes one kind's plan as its planning activity does: what a dry run answers. */
export type CleanupPlanner = (input: { now: string }, context: InvocationContext) => Promise<CleanupPlan>;

/** The prefix of every run of `kind`: `cleanup:<kind>:`. */
export function cleanupRunPrefix(kind: CleanupKind): string {
  return `cleanup:${kind}:`;
}

/** The runs of `kind` still running or waiting to. */
export async function activeCleanupRuns(client: DurableClient, kind: CleanupKind): Promise<string[]> {
  const runs = await queryInstances(client, {
    instanceIdPrefix: cleanupRunPrefix(kind),
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  return runs.map((r) => r.instanceId);
}

/**
 * Starts a run of `kind` as `runId` unless one of that kind is running already (two would delete in
 * each other's way) or `runId` exists. Answers the run that holds the kind: this one when it started.
 */
export async function startCleanupRun(
  client: DurableClient,
  kind: CleanupKind,
  runId: string,
  requestedBy: CleanupRequest,
): Promise<{ started: boolean; runId: string }> {
  const [running] = await activeCleanupRuns(client, kind);
  if (running !== undefined) return { started: false, runId: running };
  const input: CleanupInput = { kind, requestedBy };
  return { started: await startOnce(client, cleanupOrchestrator, runId, input), runId };
}
