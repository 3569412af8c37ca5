import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { takeBackupActivity } from '../activities/takeBackup';
import type { TakeBackupInput, TakeBackupResult } from '../activities/takeBackup';
import type { BackupRequest, BackupStatus } from './backupModel';

/** A backup taken on demand: the backup activity, with its outcome in the custom status. */
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
  return status;
};
