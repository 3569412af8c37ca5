import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { takeBackupActivity } from '../functionNames';
import type { TakeBackupInput, TakeBackupResult } from '../activities/takeBackup';
import { auditEntryOf, recordAuditBestEffort } from './auditTrail';
import { backupDetail } from './backupModel';
import type { BackupRequest, BackupStatus } from './backupModel';

/** A backup taken on demand: the backup activity, with its outcome in the custom status and the audit trail. */
export const backup: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<BackupRequest>();
  const status: BackupStatus = {
    target: request.target.name,
    requestedBy: request.requestedBy,
    phase: 'backingUp',
  };
  context.df.setCustomStatus(status);
  const input: TakeBackupInput = {
    target: request.target,
    releaseId: null,
    image: null,
    requestedAt: context.df.currentUtcDateTime.toISOString(),
  };
  const result = (yield context.df.callActivity(takeBackupActivity, input)) as TakeBackupResult;
  Object.assign(
    status,
    result.ok
      ? { phase: 'done', outcome: 'succeeded', backup: result.backup }
      : { phase: 'done', outcome: 'failed', reason: result.reason },
  );
  context.df.setCustomStatus(status);
  yield* recordAuditBestEffort(context, [
    auditEntryOf(context, 1, {
      action: 'backup.taken',
      subject: { kind: 'target', name: request.target.name },
      by: { kind: 'person', name: request.requestedBy },
      outcome: result.ok ? 'succeeded' : 'failed',
      detail: result.ok ? backupDetail(result.backup) : result.reason,
      operation: { kind: 'backup', id: context.df.instanceId },
    }),
  ]);
  return status;
};
