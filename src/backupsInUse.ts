import * as df from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { z } from 'zod';
import { queryInstances } from './azure/taskHubInstances';
import type { BackupsInUse } from './domain/backupRetention';
import { releaseIdPrefix } from './domain/releaseId';
import { releaseOrchestrator, restoreOrchestrator } from './functionNames';

/**
 * The backups running work needs: every running or waiting release and restore of the task hub, read
 * through the durable HTTP API. Throws when the task hub cannot be listed, so no plan is made blind.
 */
export async function readBackupsInUse(client: DurableClient): Promise<BackupsInUse> {
  // Restores have generated ids, so the whole hub's running instances are read (no prefix); they are few.
  const running = await queryInstances(client, {
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  return toBackupsInUse(running);
}

/** The parts of a release's or a restore's custom status that name a backup; absent before the first step. */
const releaseStatusSchema = z.object({
  target: z.string(),
  backup: z.object({ name: z.string() }).optional(),
});
const restoreStatusSchema = z.object({ backup: z.string() });

/** What running instances say about the backups they need; a restore that has not said yet is counted as unknown. */
export function toBackupsInUse(
  running: readonly Pick<DurableOrchestrationStatus, 'name' | 'instanceId' | 'customStatus'>[],
): BackupsInUse {
  const inUse: BackupsInUse = { releases: [], restores: [] };
  for (const { name, instanceId: id, customStatus } of running) {
    if (name === releaseOrchestrator) {
      const status = releaseStatusSchema.safeParse(customStatus);
      const target = status.success ? status.data.target : targetOfReleaseId(id);
      if (target !== undefined) inUse.releases.push({ id, target, backup: status.data?.backup?.name });
    } else if (name === restoreOrchestrator) {
      inUse.restores.push({ id, backup: restoreStatusSchema.safeParse(customStatus).data?.backup });
    }
  }
  return inUse;
}

/** Release ids are `release:<target>:<unique>`; target names hold no colon. */
function targetOfReleaseId(id: string): string | undefined {
  const target = /^release:([^:]+):/.exec(id)?.[1];
  return target !== undefined && id.startsWith(releaseIdPrefix(target)) ? target : undefined;
}
