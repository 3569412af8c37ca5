import type { FailureDetails, HistoryEvent } from './history';

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated';

export const terminalStatuses: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated']);

/** Retry settings of `callActivityWithRetry` / `callSubOrchestratorWithRetry`, as the action carries them. */
export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface RetryState {
  policy: RetryPolicy;
  attempt: number;
  firstAttemptAt: number;
}

/** A message waiting for the orchestration's next episode. */
export type Message =
  | { kind: 'ExecutionStarted'; executionId: string; input: unknown }
  | { kind: 'TaskCompleted'; executionId: string; taskId: number; result: string }
  | { kind: 'TaskFailed'; executionId: string; taskId: number; failure: FailureDetails }
  | { kind: 'TimerFired'; executionId: string; timerId: number; fireAt: string }
  | { kind: 'SubOrchestrationCompleted'; executionId: string; taskId: number; result: string }
  | { kind: 'SubOrchestrationFailed'; executionId: string; taskId: number; failure: FailureDetails }
  | { kind: 'EventRaised'; name: string; input: string | null }
  | { kind: 'Terminate'; reason: string };

/** Work the orchestration started and still waits for. */
export type Work =
  | { kind: 'activity'; taskId: number; name: string; input: string; retry?: RetryState }
  | {
      kind: 'subOrchestration';
      taskId: number;
      name: string;
      instanceId: string;
      input: string;
      /** The version the orchestrator asked for; the host's `defaultVersion` otherwise. */
      version?: string;
      retry?: RetryState;
    }
  | {
      kind: 'timer';
      timerId: number;
      fireAt: string;
      /** The index of the orchestrator's CreateTimer action this timer carries out; none for retry waits. */
      action?: number;
      /** For a timer kept as a chain of shorter ones: when the whole timer is due. */
      chainEnd?: string;
      retryOf?: Extract<Work, { kind: 'activity' | 'subOrchestration' }>;
    };

export interface ParentLink {
  instanceId: string;
  executionId: string;
  taskId: number;
}

/** Everything the local durable store keeps about one orchestration instance. */
export interface InstanceState {
  instanceId: string;
  name: string;
  /** The orchestration version stamped on the instance when it was created; none before versioning. */
  version?: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  parent?: ParentLink;
  /** Why the instance failed, for a parent orchestration waiting on it. */
  failure?: FailureDetails;
  history: HistoryEvent[];
  inbox: Message[];
  outstanding: Work[];
  /** The next task id the orchestrator library will give a scheduled task. */
  nextSequence: number;
  /** For each action the orchestrator has returned so far: its kind and name, to catch non-determinism. */
  actionSignatures: string[];
  /** For each action returned so far, the task id it was given (a chained timer's first one). */
  actionTaskIds: (number | null)[];
}
