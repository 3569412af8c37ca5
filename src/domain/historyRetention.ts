import type { CleanupItem, CleanupPlan } from './cleanupPlan';

const dayMs = 24 * 60 * 60 * 1000;

/** The states of an instance that has ended: only these are ever purged. */
export const finishedStatuses = ['Completed', 'Failed', 'Terminated'] as const;

/** An orchestration instance of the task hub, as its listing shows it. */
export interface InstanceSummary {
  instanceId: string;
  /** The orchestrator function's name, e.g. `release`. */
  name: string;
  /** `Running`, `Pending`, `ContinuedAsNew`, `Suspended`, `Completed`, `Failed`, `Terminated`, … */
  runtimeStatus: string;
  /** ISO 8601. */
  createdTime: string;
  /** ISO 8601: for a finished instance, when it ended. */
  lastUpdatedTime: string;
}

/**
 * The time before which history may go: `retentionDays` before `now`. Only instances created before
 * it can have ended before it, so the listing asks for no younger ones.
 */
export function historyCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * dayMs);
}

function isFinished(status: string): boolean {
  return (finishedStatuses as readonly string[]).includes(status);
}

function daysAgo(time: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(time)) / dayMs);
}

/**
 * What becomes of one instance: a finished one (completed, failed, terminated) that ended more than
 * `retentionDays` before `now` is deleted; one that ended since is kept for people to read; one still
 * running or waiting is never touched, however old. Age is counted from the end (the last update),
 * not the start, so a long release that ended yesterday keeps its history.
 */
export function planInstance(instance: InstanceSummary, now: Date, retentionDays: number): CleanupItem {
  const { instanceId, name, runtimeStatus, createdTime, lastUpdatedTime } = instance;
  const base = {
    id: `instance:${instanceId}`,
    what: `${name} ${instanceId} (${runtimeStatus}, created ${createdTime})`,
    detail: { instanceId, createdTime, runtimeStatus },
  };
  if (!isFinished(runtimeStatus))
    return {
      ...base,
      action: 'keep',
      reasons: [`${runtimeStatus.toLowerCase()}: only finished instances are purged`],
    };
  const ended = daysAgo(lastUpdatedTime, now);
  const status = runtimeStatus.toLowerCase();
  if (Date.parse(lastUpdatedTime) < historyCutoff(now, retentionDays).getTime())
    return {
      ...base,
      action: 'delete',
      reasons: [`${status} ${ended} days ago, past the ${retentionDays}-day retention`],
    };
  return {
    ...base,
    action: 'keep',
    reasons: [`${status} ${ended} days ago, within the ${retentionDays}-day retention`],
  };
}

/**
 * The history plan: one item per instance listed (those created before the cutoff), oldest first.
 * Per instance rather than per batch: a weekly run over a 30-day retention meets about a week of
 * finished work (hundreds of instances), each purge is one small call, and each item can say why and
 * be counted on its own; a failed purge stops nothing else.
 */
export function planHistoryRetention(
  instances: readonly InstanceSummary[],
  now: Date,
  retentionDays: number,
): CleanupPlan {
  const items = [...instances]
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId))
    .map((instance) => planInstance(instance, now, retentionDays));
  return { kind: 'history', at: now.toISOString(), items };
}
