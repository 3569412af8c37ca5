/**
 * Release ids this worker has seen exist in the task hub (it started them, or found them there), so
 * that a push delivered again — ACR retries, Event Grid and the webhook both — is answered as a
 * duplicate without another round trip to the task hub. It only ever skips starting: an id not here
 * is asked of the task hub as before, and a second worker without it still finds the instance there.
 * Bounded: the oldest ids go first.
 */
export class KnownReleases {
  readonly #ids = new Set<string>();

  constructor(private readonly capacity = 5_000) {}

  has(releaseId: string): boolean {
    return this.#ids.has(releaseId);
  }

  add(releaseId: string): void {
    this.#ids.delete(releaseId);
    this.#ids.add(releaseId);
    if (this.#ids.size > this.capacity) {
      const oldest = this.#ids.values().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
  }
}
