import type { RetryPolicy } from './instanceState';

/** Action types of the out-of-process orchestration protocol (`durable-functions`' ActionType). */
export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

/** An action as it arrives in the orchestrator's JSON reply. */
export interface RawAction {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryPolicy;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  instanceId?: string;
  /** A sub-orchestration's version, when the orchestrator names one. */
  version?: string;
  compoundActions?: RawAction[];
}

/** What the orchestrator function returns to the host after each replay. */
export interface OrchestratorReply {
  isDone: boolean;
  actions: RawAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

/**
 * Lists the leaf actions in the order the orchestrator library gave their tasks ids: replay schema V1
 * sends a list per yield, later schemas nest `Task.all`/`Task.any` as compound actions.
 */
export function flattenActions(reply: OrchestratorReply): RawAction[] {
  const leaves: RawAction[] = [];
  const visit = (action: RawAction): void => {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      for (const child of action.compoundActions ?? []) visit(child);
    } else {
      leaves.push(action);
    }
  };
  for (const group of reply.actions) for (const action of group) visit(action);
  return leaves;
}

/** Whether the action is given a task id (external events are matched by name instead). */
export function takesTaskId(action: RawAction): boolean {
  return [
    ActionType.CallActivity,
    ActionType.CallActivityWithRetry,
    ActionType.CallSubOrchestrator,
    ActionType.CallSubOrchestratorWithRetry,
    ActionType.CreateTimer,
  ].includes(action.actionType);
}

export function signatureOf(action: RawAction): string {
  return `${ActionType[action.actionType]}:${action.functionName ?? action.externalEventName ?? ''}`;
}

/**
 * The JSON text of an activity's input. `durable-functions` sends string inputs already JSON-encoded
 * (and other values as they are), so a string here is the encoded form.
 */
export function activityInputJson(action: RawAction): string {
  if (typeof action.input === 'string') return action.input;
  return JSON.stringify(action.input ?? null);
}

/** Delay before retry number `attempt` (1-based), as Durable Task computes it. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const coefficient = policy.backoffCoefficient ?? 1;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(coefficient, attempt - 1);
  const cap = policy.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
}
