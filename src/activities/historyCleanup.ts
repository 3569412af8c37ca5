import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { azureCall } from '../azure/azureOperationError';
import { queryInstances } from '../azure/taskHubInstances';
import type { Config } from '../config';
import type { CleanupItem, CleanupPlan } from '../domain/cleanupPlan';
import { finishedStatuses, historyCutoff, planHistoryRetention } from '../domain/historyRetention';

/**
 * Lists the task hub's instances created before the retention cutoff (younger ones cannot have ended
 * before it) and plans what goes. A listing that fails throws, so no plan is made from half a hub.
 * Needs the durable client input; it reads the task hub only.
 */
export function planHistoryCleanup(config: Config) {
  return async (input: { now: string }, context: InvocationContext): Promise<CleanupPlan> => {
    const now = new Date(input.now);
    const retentionDays = config.cleanup.historyRetentionDays;
    const listed = await queryInstances(df.getClient(context), {
      createdTimeTo: historyCutoff(now, retentionDays),
    });
    const instances = listed.map((s) => ({
      instanceId: s.instanceId,
      name: s.name,
      runtimeStatus: s.runtimeStatus,
      createdTime: s.createdTime.toISOString(),
      lastUpdatedTime: s.lastUpdatedTime.toISOString(),
    }));
    return planHistoryRetention(instances, now, retentionDays);
  };
}

/**
 * Purges one planned instance by id (`purgeInstanceHistory`), only while it is still the finished
 * instance that was planned. `'gone'` when it is no longer there, when a newer instance now holds
 * its id (created at another time), or when it is no longer finished (a rewound one): its history
 * then stays. The task hub itself refuses to purge a running instance (412), so a race cannot either.
 */
export async function carryOutHistoryItem(
  input: { item: CleanupItem },
  context: InvocationContext,
): Promise<'done' | 'gone'> {
  const { instanceId, createdTime } = input.item.detail ?? {};
  if (input.item.action !== 'delete' || typeof instanceId !== 'string' || typeof createdTime !== 'string')
    throw new RangeError(`${input.item.id} is not an instance to purge.`);
  const client = df.getClient(context);
  const operation = `purge the history of ${instanceId}`;
  const status = await azureCall(operation, () =>
    client.getStatus(instanceId, { showInput: false }).catch((err: unknown) => {
      if (err instanceof Error && / 404 /.test(err.message)) return undefined;
      throw err;
    }),
  );
  if (
    status === undefined ||
    status.createdTime.getTime() !== Date.parse(createdTime) ||
    !(finishedStatuses as readonly string[]).includes(status.runtimeStatus)
  )
    return 'gone';
  const result = await azureCall(operation, () => client.purgeInstanceHistory(instanceId));
  return result.instancesDeleted > 0 ? 'done' : 'gone';
}
