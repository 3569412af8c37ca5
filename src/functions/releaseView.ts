import type { DurableOrchestrationStatus } from 'durable-functions';

/** A release as the status endpoints show it: its custom status with its runtime state. */
export function toReleaseView(status: DurableOrchestrationStatus): Record<string, unknown> {
  const custom =
    typeof status.customStatus === 'object' && status.customStatus !== null ? status.customStatus : {};
  return {
    id: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    createdTime: status.createdTime,
    lastUpdatedTime: status.lastUpdatedTime,
    ...custom,
  };
}
