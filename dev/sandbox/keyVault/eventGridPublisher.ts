import { Deliverer } from '../delivery';
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

/**
 * Delivers the vault's events one per request as Event Grid does to a webhook: a JSON array of one
 * event with `aeg-event-type: Notification`, retried as Event Grid retries. Failures never reach the
 * caller; the last one is logged.
 */
export class EventGridPublisher {
  readonly #deliverer: Deliverer;
  readonly #endpoint: string;
  readonly #log: (line: string) => void;
  #closed = false;

  constructor(options: EventGridPublisherOptions) {
    this.#endpoint = options.endpoint;
    this.#deliverer = new Deliverer(options.retryDelaysMs ?? [10_000, 30_000, 60_000]);
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Starts delivering `event`; {@link idle} waits for it. Ignored once closed. */
  publish(event: EventGridEvent<unknown>): void {
    if (this.#closed) return;
    const delivery = {
      kind: 'eventGrid' as const,
      name: 'eventGrid',
      url: this.#endpoint,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'aeg-event-type': 'Notification',
        'aeg-data-version': event.dataVersion,
        'aeg-metadata-version': event.metadataVersion,
      },
      body: [event],
      attemptCountHeader: 'aeg-delivery-count',
    };
    void this.#deliverer.deliverAll([delivery]).then(([result]) => {
      if (result && !result.ok && !this.#closed) {
        this.#log(
          `Event Grid delivery of ${event.eventType} (${event.subject}) to ${result.endpoint} failed after ` +
            `${result.attempts} attempt(s): ${result.error ?? ''}`,
        );
      }
    });
  }

  /** Resolves once every delivery started so far, retries included, has finished. */
  idle(): Promise<void> {
    return this.#deliverer.idle();
  }

  /** Stops waiting retries and in-flight requests, then waits for the deliveries to wind up. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#deliverer.close();
    await this.#deliverer.idle();
  }
}
