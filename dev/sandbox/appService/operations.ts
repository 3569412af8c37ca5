import { randomUUID } from 'node:crypto';

type OperationState =
  | { status: 'InProgress' }
  | { status: 'Succeeded' }
  | { status: 'Failed'; error: { code: string; message: string } };

/** Long-running ARM operations (slot swaps) and how each ended, for the polling URLs to report. */
export class Operations {
  readonly #operations = new Map<string, OperationState>();
  readonly #running = new Set<Promise<void>>();

  /** Starts `work` and returns the operation's id. */
  start(work: () => Promise<void>): string {
    const id = randomUUID();
    this.#operations.set(id, { status: 'InProgress' });
    const run = work().then(
      () => void this.#operations.set(id, { status: 'Succeeded' }),
      (err: unknown) =>
        void this.#operations.set(id, {
          status: 'Failed',
          error: { code: 'SwapFailed', message: err instanceof Error ? err.message : String(err) },
        }),
    );
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
    return id;
  }

  get(id: string): OperationState | undefined {
    return this.#operations.get(id);
  }

  /** Resolves once no operation is running. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
