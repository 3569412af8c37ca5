import { OrchestrationRuntimeStatus } from 'durable-functions';
import type { DurableOrchestrationStatus } from 'durable-functions';

/**
 * A release or rotation as the status endpoints show it, with its runtime state: while it runs, its
 * custom status (a release's keeps the latest windows, within Azure's size limit); once it has ended,
 * its output, the whole record.
 */
export function toInstanceView(status: DurableOrchestrationStatus): Record<string, unknown> {
  const record =
    status.runtimeStatus === OrchestrationRuntimeStatus.Completed ? status.output : status.customStatus;
  const shown = typeof record === 'object' && record !== null ? record : {};
  return {
    id: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    createdTime: status.createdTime,
    lastUpdatedTime: status.lastUpdatedTime,
    ...shown,
  };
}
