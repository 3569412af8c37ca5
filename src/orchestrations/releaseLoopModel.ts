/** The sub-orchestration that waits for the slot to warm up, looking every few seconds. */
export const warmUpLoopOrchestrator = 'releaseWarmUpLoop';
/** The sub-orchestration that waits for a target's earlier releases to stop. */
export const queueLoopOrchestrator = 'releaseQueueLoop';
/** The sub-orchestration that watches a canary step while it runs, for a severe fault. */
export const watchLoopOrchestrator = 'releaseWatchLoop';

/** The external event that ends a release's loop early: its release was aborted. */
export const stopLoopEvent = 'stop';

/** What a loop's generation starts from: its state and when it looks next. */
export interface LoopInput<S> {
  state: S;
  /** When the next round runs, in epoch milliseconds: at once when past. */
  nextAt: number;
  /** Seeds the jitter of retried steps: the release's id. */
  seed: string;
}

/** How a loop ended: with its answer, or stopped because its release was aborted. */
export type LoopEnd<R> = { done: R } | { stopped: true };
