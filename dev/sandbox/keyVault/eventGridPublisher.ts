import { setTimeout as sleep } from 'node:timers/promises';
import type { EventGridEvent } from './events';

export interface EventGridPublisherOptions {
  /** The subscriber's URL; a `code` or other key in its query is sent but never logged. */
  endpoint: string;
  /**
   * Real milliseconds to wait before each retry; its length is how many retries. Real time, not the
   * sandbox clock: deliveries talk to real processes, and a virtual clock would strand them. By default
   * the start of Event Grid's own schedule: 10 s, 30 s, 1 min.
   */
  retryDelaysMs?: readonly number[];
  /** Where a delivery that failed for good is reported; stderr by default. */
  log?: (line: string) => void;
}

/** Event Grid waits this long for a subscriber's answer before it counts the attempt as failed. */
const attemptTimeoutMs = 30_000;

type Outcome = { kind: 'delivered' } | { kind: 'failed' | 'rejected'; reason: string };

/**
 * Delivers events one per request as Event Grid does to a webhook: a JSON array of one event with
 * `aeg-event-type: Notification`, retried on failure except where Event Grid gives up at once (400,
 * 413). Failures never reach the caller; the last one is logged.
 */
export class EventGridPublisher {
  readonly #endpoint: string;
  readonly #retryDelaysMs: readonly number[];
  readonly #log: (line: string) => void;
  readonly #pending = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(options: EventGridPublisherOptions) {
    this.#endpoint = options.endpoint;
    this.#retryDelaysMs = options.retryDelaysMs ?? [10_000, 30_000, 60_000];
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Starts delivering `event`; {@link idle} waits for it. Ignored once closed. */
  publish(event: EventGridEvent<unknown>): void {
    if (this.#closing.signal.aborted) return;
    const delivery: Promise<void> = this.#deliver(event).finally(() => this.#pending.delete(delivery));
    this.#pending.add(delivery);
  }

  /** Resolves once every delivery started so far, retries included, has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Stops waiting retries and in-flight requests, then waits for the deliveries to wind up. */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.idle();
  }

  async #deliver(event: EventGridEvent<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(event, attempt);
      if (outcome.kind === 'delivered' || this.#closing.signal.aborted) return;
      const delay = this.#retryDelaysMs[attempt];
      if (outcome.kind === 'rejected' || delay === undefined) {
        this.#log(
          `Event Grid delivery of ${event.eventType} (${event.subject}) to ${redacted(this.#endpoint)} ` +
            `failed after ${attempt + 1} attempt(s): ${outcome.reason}`,
        );
        return;
      }
      await sleep(delay, undefined, { signal: this.#closing.signal }).catch(() => undefined);
    }
  }

  async #attempt(event: EventGridEvent<unknown>, attempt: number): Promise<Outcome> {
    try {
      const res = await fetch(this.#endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'aeg-event-type': 'Notification',
          'aeg-delivery-count': String(attempt),
          'aeg-data-version': event.dataVersion,
          'aeg-metadata-version': event.metadataVersion,
        },
        body: JSON.stringify([event]),
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(attemptTimeoutMs)]),
      });
      await res.arrayBuffer();
      if (res.ok) return { kind: 'delivered' };
      const reason = `HTTP ${res.status}`;
      return res.status === 400 || res.status === 413
        ? { kind: 'rejected', reason }
        : { kind: 'failed', reason };
    } catch (err) {
      return { kind: 'failed', reason: describe(err) };
    }
  }
}

/** fetch says only "fetch failed"; the cause says why (refused, reset, timed out). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}

/** The endpoint without its query, which may hold a function key. */
function redacted(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
