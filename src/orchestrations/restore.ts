import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import {
  checkRestoreActivity,
  prepareRestoreDatabaseActivity,
  restoreBackupActivity,
} from '../functionNames';
import type { RestoreCheck } from '../activities/checkRestore';
import type { PrepareRestoreDatabaseInput } from '../activities/prepareRestoreDatabase';
import type { RestoreBackupInput } from '../activities/restoreBackup';
import type { RestoreAsked, RestoreStepResult } from '../activities/restoreTypes';
import type { AuditAction, AuditOutcome } from '../domain/auditEntry';
import { auditEntryOf, recordAuditBestEffort } from './auditTrail';
import type { RestoreOutcome, RestorePhase, RestoreRequest, RestoreStatus } from './restoreModel';

/**
 * Restores a verified backup into a new database, or over an existing one when asked to overwrite:
 * check again what the trigger checked, make the empty database, pg_restore into it. Each step says
 * where it stands in the custom status; a refusal or failure ends it with the reason. Its start (who
 * asked, what, where) and its end go into the audit trail.
 */
export const restore: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<RestoreRequest>();
  const { target, backup, database, overwrite, requestedBy } = request;
  const entry = (n: number, action: AuditAction, outcome: AuditOutcome, detail: string) =>
    auditEntryOf(context, n, {
      action,
      subject: { kind: 'target', name: target.name },
      by: { kind: 'person', name: requestedBy },
      outcome,
      detail,
      operation: { kind: 'restore', id: context.df.instanceId },
    });
  // Recorded before anything is touched: a restore may replace a live database.
  const what = `${backup} into ${database}${overwrite ? ', replacing it if it exists' : ''}`;
  yield* recordAuditBestEffort(context, [entry(1, 'restore.started', 'started', what)]);
  const status = yield* restoreSteps(context, request);
  yield* recordAuditBestEffort(context, [
    entry(2, 'restore.ended', status.outcome ?? 'failed', status.reason ?? ''),
  ]);
  return status;
};

/** The restore's own steps, each recorded in the custom status; returns how it ended. */
function* restoreSteps(
  context: OrchestrationContext,
  request: RestoreRequest,
): Generator<Task, RestoreStatus, unknown> {
  const { target, backup, database, overwrite, requestedBy } = request;
  const status: RestoreStatus = {
    target: target.name,
    backup,
    database,
    requestedBy,
    overwrite,
    replacesExisting: null,
    phase: 'checking',
  };
  const enter = (phase: RestorePhase): void => {
    status.phase = phase;
    context.df.setCustomStatus(status);
  };
  const end = (outcome: RestoreOutcome, reason: string): RestoreStatus => {
    Object.assign(status, { phase: 'done', outcome, reason });
    context.df.setCustomStatus(status);
    return status;
  };

  enter('checking');
  const asked: RestoreAsked = { target, backup, database, overwrite };
  const check = (yield context.df.callActivity(checkRestoreActivity, asked)) as RestoreCheck;
  if (!check.ok) return end('refused', check.reason);
  status.replacesExisting = check.replace;

  enter('creatingDatabase');
  const prepare: PrepareRestoreDatabaseInput = { target, database, replace: check.replace, requestedBy };
  const prepared = (yield context.df.callActivity(
    prepareRestoreDatabaseActivity,
    prepare,
  )) as RestoreStepResult;
  if (!prepared.ok) return end('failed', prepared.reason);

  enter('restoring');
  const restoreInput: RestoreBackupInput = { target, backup, database };
  const restored = (yield context.df.callActivity(restoreBackupActivity, restoreInput)) as RestoreStepResult;
  if (!restored.ok) return end('failed', restored.reason);
  return end(
    'succeeded',
    check.replace
      ? `${backup} replaced the database ${database}, as ${requestedBy} asked`
      : `${backup} was restored into the new database ${database}`,
  );
}
