import { takeBackupActivity } from '../../functionNames';
import type { TakeBackupInput, TakeBackupResult } from '../../activities/takeBackup';
import { backupDetail } from '../backupModel';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';

/**
 * Backs the target's database up before the new image reaches the slot, where it may migrate the
 * database as it starts: without a verified backup nothing is deployed. A rollback brings back an
 * image that ran on this database before, and takes none.
 */
export function* backup(flow: ReleaseFlow): Flow<PhaseResult> {
  const { input, target } = flow;
  if (input.kind !== 'push' || target.database?.backups.enabled !== true) return undefined;
  flow.enter('backingUp');
  const result = yield* flow.call<TakeBackupResult>(takeBackupActivity, {
    target,
    releaseId: input.releaseId,
    image: input.image,
    requestedAt: flow.nowIso(),
  } satisfies TakeBackupInput);
  flow.audit({
    action: 'backup.taken',
    by: { kind: 'shepherd' },
    outcome: result.ok ? 'succeeded' : 'failed',
    detail: `before the release of ${input.image}: ${result.ok ? backupDetail(result.backup) : result.reason}`,
  });
  if (!result.ok)
    return { end: 'failed', reason: `no verified backup, so nothing was deployed: ${result.reason}` };
  const { name, sizeBytes, sha256 } = result.backup;
  flow.status.backup = { name, sizeBytes, sha256 };
  return undefined;
}
