import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { recordAuditActivity } from '../functionNames';
import { auditDetail } from '../domain/auditEntry';
import type { AuditEntry } from '../domain/auditEntry';
import type { RetryPolicy } from '../domain/retryPlan';

/**
 * How often an audit write is tried: a few times, close together, and no more, since the trail must
 * never hold up the work it records. The storage SDK has retried each request already.
 */
export const auditRetry: RetryPolicy = {
  maxAttempts: 3,
  firstDelayMs: 2_000,
  maxDelayMs: 8_000,
  jitter: 0.2,
};

/**
 * Entry number `n` of the orchestration running in `context`, at its current time: its id is the
 * instance id and `n`, the same on every replay, so a repeated write leaves one entry.
 */
export function auditEntryOf(
  context: OrchestrationContext,
  n: number,
  entry: Omit<AuditEntry, 'id' | 'at'>,
): AuditEntry {
  return {
    ...entry,
    detail: auditDetail(entry.detail),
    id: `${context.df.instanceId}:${n}`,
    at: context.df.currentUtcDateTime.toISOString(),
  };
}

/**
 * Writes `entries` from an orchestration without a release's flow (a backup, a restore), best effort:
 * an activity that fails outright (a crash, a timeout) is tried again as `auditRetry` allows; Azure's
 * refusals, which the SDK has retried, come back as a result and are logged by the activity. Either
 * way nothing else in the orchestration changes.
 */
export function* recordAuditBestEffort(
  context: OrchestrationContext,
  entries: AuditEntry[],
): Generator<Task, void, unknown> {
  const retry = new df.RetryOptions(auditRetry.firstDelayMs, auditRetry.maxAttempts);
  retry.maxRetryIntervalInMilliseconds = auditRetry.maxDelayMs;
  try {
    yield context.df.callActivityWithRetry(recordAuditActivity, retry, entries);
  } catch {
    // Logged by the activity; the work it records stands either way.
  }
}
