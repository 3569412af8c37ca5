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
