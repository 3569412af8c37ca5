import type { Clock } from '../host/clock';

/** One POST the sandbox owes an endpoint: a webhook call, an Event Grid batch or an action group's webhook call. */
export interface Delivery {
  kind: 'webhook' | 'eventGrid' | 'actionGroup';
  /** The webhook's name, or `eventGrid`. */
  name: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** A header that carries how many attempts came before this one, as Event Grid's `aeg-delivery-count`. */
  attemptCountHeader?: string;
}

/** What became of a delivery, for a person to read: never the endpoint's query string or secrets. */
export interface DeliveryResult {
  kind: Delivery['kind'];
  name: string;
  /** The endpoint without query string or credentials (a function key may sit in the query). */
  endpoint: string;
  ok: boolean;
  attempts: number;
  /** The status of the last answer, if there was one. */
  status?: number;
  error?: string;
}

type Outcome = Pick<DeliveryResult, 'ok' | 'status' | 'error'>;

/** Event Grid waits this long for a subscriber's answer before it counts the attempt as failed. */
const attemptTimeoutMs = 30_000;

function redacted(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.username = '';
  u.password = '';
  return u.toString();
}

/** Event Grid gives up at once on these answers and retries every other failure. */
const eventGridRetries = (status: number): boolean => status !== 400 && status !== 413;

/** How a deliverer retries, beyond how long it waits between attempts. */
export interface RetryRules {
  /** Whether an answer with this status is tried again; failures without an answer always are. */
  retryable?: (status: number) => boolean;
  /** The clock the waits between attempts run on; real time when not given. */
  clock?: Clock;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? `${error.message} (${cause.code})` : error.message;
}

/**
 * Sends deliveries with retries (`retryDelaysMs` between attempts; its length is the number of
 * retries), never throwing: a failing endpoint is the endpoint's problem, not the sandbox's. Keeps
 * count of what is in flight so that tests and the CLI can wait for it.
 */
export class Deliverer {
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #waits = new Set<() => void>();
  readonly #closing = new AbortController();

  constructor(
    private readonly retryDelaysMs: readonly number[],
    private readonly rules: RetryRules = {},
  ) {}

  /** Sends every delivery at once; resolves when each has succeeded or given up. */
  deliverAll(deliveries: Delivery[]): Promise<DeliveryResult[]> {
    const all = Promise.all(deliveries.map((d) => this.#deliver(d)));
    this.#inFlight.add(all);
    void all.finally(() => this.#inFlight.delete(all));
    return all;
  }

  /** Resolves once nothing is in flight, including deliveries started while waiting. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Gives up on every pending delivery: attempts in flight are aborted and no retry follows. */
  close(): void {
    this.#closing.abort();
    for (const wake of this.#waits) wake();
  }

  async #deliver(delivery: Delivery): Promise<DeliveryResult> {
    const result = (attempts: number, outcome: Outcome): DeliveryResult => ({
      kind: delivery.kind,
      name: delivery.name,
      endpoint: redacted(delivery.url),
      attempts,
      ...outcome,
    });
    for (let attempt = 0; ; attempt++) {
      if (this.#closing.signal.aborted)
        return result(attempt, { ok: false, error: 'the sandbox closed before the delivery succeeded' });
      const outcome = await this.#attempt(delivery, attempt);
      const final =
        outcome.ok ||
        (outcome.status !== undefined && !(this.rules.retryable ?? eventGridRetries)(outcome.status)) ||
        attempt >= this.retryDelaysMs.length;
      if (final) return result(attempt + 1, outcome);
      await this.#wait(this.retryDelaysMs[attempt] ?? 0);
    }
  }

  async #attempt(delivery: Delivery, attempt: number): Promise<Outcome> {
    const headers = { ...delivery.headers };
    if (delivery.attemptCountHeader) headers[delivery.attemptCountHeader] = String(attempt);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(delivery.body),
        signal: AbortSignal.any([AbortSignal.timeout(attemptTimeoutMs), this.#closing.signal]),
      });
      // Read the answer to the end so the connection is freed.
      await response.arrayBuffer();
      return response.ok
        ? { ok: true, status: response.status }
        : { ok: false, status: response.status, error: `the endpoint answered ${response.status}` };
    } catch (error) {
      return { ok: false, error: describe(error) };
    }
  }

  #wait(ms: number): Promise<void> {
    const { clock } = this.rules;
    return new Promise((resolve) => {
      const wake = (): void => {
        cancel();
        this.#waits.delete(wake);
        resolve();
      };
      const cancel = clock ? clock.schedule(clock.now() + ms, wake) : realTimer(wake, ms);
      this.#waits.add(wake);
    });
  }
}

/** A real-time timer, as the clock's `schedule` gives one: a function that cancels it. */
function realTimer(callback: () => void, ms: number): () => void {
  const timer = setTimeout(callback, ms);
  return () => {
    clearTimeout(timer);
  };
}
