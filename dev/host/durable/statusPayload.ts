import { EventType } from './history';
import type { HistoryEvent } from './history';
import type { InstanceState } from './instanceState';

export interface StatusOptions {
  showInput: boolean;
  showHistory: boolean;
  showHistoryOutput: boolean;
}

/** The extension writes status times as .NET's sortable format: whole seconds and a Z (`ToString("s") + "Z"`). */
function statusTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}

/**
 * One instance as the Durable HTTP API shows it (`StatusResponsePayload` in HttpApiHandler.cs), with the
 * history shaped as `DurableClient.GetDurableOrchestrationStatusAsync` shapes it when asked for.
 */
export function toStatusPayload(state: InstanceState, options: StatusOptions): Record<string, unknown> {
  return {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.runtimeStatus,
    input: options.showInput ? state.input : null,
    customStatus: state.customStatus,
    output: state.output,
    createdTime: statusTime(state.createdTime),
    lastUpdatedTime: statusTime(state.lastUpdatedTime),
    ...(options.showHistory
      ? { historyEvents: state.runtimeStatus === 'Pending' ? null : toStatusHistory(state.history, options) }
      : {}),
  };
}

/** Stored results are JSON text; a result that is not JSON (a failure's reason) is shown as text. */
function parseLoosely(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  const text = value.trim();
  try {
    return text === '' ? '' : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

/** The events a completion folds into itself: which task it ends, and its name, time and input. */
const scheduledBy: Partial<Record<EventType, EventType>> = {
  [EventType.TaskCompleted]: EventType.TaskScheduled,
  [EventType.TaskFailed]: EventType.TaskScheduled,
  [EventType.SubOrchestrationInstanceCompleted]: EventType.SubOrchestrationInstanceCreated,
  [EventType.SubOrchestrationInstanceFailed]: EventType.SubOrchestrationInstanceCreated,
};

/**
 * The history as the extension shows it: event types by name, no replay bookkeeping (OrchestratorStarted
 * and OrchestratorCompleted, event ids, IsPlayed), each completed task as one event carrying its
 * `FunctionName` and `ScheduledTime` in place of its scheduling event, and results only with
 * `showHistoryOutput`.
 */
export function toStatusHistory(history: HistoryEvent[], options: StatusOptions): Record<string, unknown>[] {
  const scheduled = new Map<string, { index: number; event: HistoryEvent }>();
  history.forEach((event, index) => {
    if (
      event.EventType === EventType.TaskScheduled ||
      event.EventType === EventType.SubOrchestrationInstanceCreated
    )
      scheduled.set(`${String(event.EventType)}_${String(event.EventId)}`, { index, event });
  });
  const folded = new Set<number>();
  const shown: (Record<string, unknown> | undefined)[] = history.map((event) => {
    const type = event.EventType;
    if (type === EventType.OrchestratorStarted || type === EventType.OrchestratorCompleted) return undefined;
    const item: Record<string, unknown> = { ...event, EventType: EventType[type] };
    delete item.EventId;
    delete item.IsPlayed;
    delete item.Version;
    const schedulingType = scheduledBy[type];
    if (schedulingType !== undefined) {
      const origin = scheduled.get(`${String(schedulingType)}_${String(event.TaskScheduledId)}`);
      if (origin) {
        folded.add(origin.index);
        item.ScheduledTime = origin.event.Timestamp;
        item.FunctionName = origin.event.Name;
        if (options.showInput) item.Input = origin.event.Input;
      }
      delete item.TaskScheduledId;
    }
    if (type === EventType.ExecutionStarted) {
      item.FunctionName = item.Name;
      delete item.Name;
      delete item.OrchestrationInstance;
      delete item.ParentInstance;
      delete item.Tags;
    }
    if (type === EventType.TimerFired) delete item.TimerId;
    const hasResult =
      type === EventType.TaskCompleted ||
      type === EventType.SubOrchestrationInstanceCompleted ||
      type === EventType.ExecutionCompleted;
    if (hasResult) {
      if (options.showHistoryOutput) item.Result = parseLoosely(item.Result);
      else delete item.Result;
    }
    if (!options.showInput) delete item.Input;
    return item;
  });
  return shown.filter(
    (item, index): item is Record<string, unknown> => item !== undefined && !folded.has(index),
  );
}
