import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import type { BackupsCleanupServices } from '../backupsCleanupServices';
import type { Config, Target } from '../config';
import { planBackupRetention } from '../domain/backupRetention';
import type { RetentionDays } from '../domain/backupRetention';
import type { CleanupItem, CleanupPlan } from '../domain/cleanupPlan';

/**
 * Plans the backup cleanup: lists every blob of the backup container and the running work that needs
 * backups, then asks `planBackupRetention`. Either read failing fails the plan: nothing is planned blind.
 * Registered with the durable client as an extra input, which the running work is read through.
 */
export function planBackupsCleanup(config: Config, services: BackupsCleanupServices) {
  return async (input: { now: string }, context: InvocationContext): Promise<CleanupPlan> => {
    const now = new Date(input.now);
    if (Number.isNaN(now.getTime()))
      throw new Error(`The backup cleanup was given no valid time: ${input.now}`);
    // Running work first: a release starting after it was read makes a backup too new to go anyway.
    const inUse = await services.inUse(context);
    const blobs = await services.store.listAll();
    const items = planBackupRetention(blobs, retentionDaysOf(config.targets), inUse, now);
    return { kind: 'backups', at: input.now, items };
  };
}

/** What a planned delete carries: the blob, and the ETag it had when it was planned. */
const deleteDetailSchema = z.object({ blob: z.string().min(1), etag: z.string() });

/**
 * Deletes one planned backup blob, only if it is unchanged since the plan: `'gone'` when it is no longer
 * there. A held or changed blob is refused with a thrown AzureOperationError.
 */
export function carryOutBackupsItem(_config: Config, services: BackupsCleanupServices) {
  return async (input: { item: CleanupItem }): Promise<'done' | 'gone'> => {
    const { item } = input;
    if (item.action !== 'delete')
      throw new Error(`The backup cleanup only deletes; ${item.id} was planned to ${item.action}.`);
    const detail = deleteDetailSchema.safeParse(item.detail);
    if (!detail.success) throw new Error(`${item.id} does not name the blob and ETag to delete.`);
    return services.store.delete(detail.data.blob, detail.data.etag);
  };
}

function retentionDaysOf(targets: readonly Target[]): RetentionDays {
  return new Map(
    targets.flatMap((t) =>
      t.database === undefined ? [] : [[t.name, t.database.backups.retentionDays] as const],
    ),
  );
}
