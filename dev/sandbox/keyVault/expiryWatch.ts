import type { Clock } from '../../host/clock';
import type { ExpiryNotice } from './expiry';
import { expiryNotices } from './expiry';
import { secretKey } from './secret';
import type { SecretVersion } from './secret';

/**
 * Clock timers for the expiry events of each secret's current version, as Key Vault sends them for the
 * current version only. Watching a version replaces what was scheduled for its secret. An event already
 * sent for the same version and expiry is not sent again, so a re-watch after an unrelated update or a
 * recover does not repeat it, while a new expiry gets its own events.
 */
export class ExpiryWatch {
  readonly #clock: Clock;
  readonly #notify: (type: ExpiryNotice['type'], version: SecretVersion) => void;
  readonly #timers = new Map<string, (() => void)[]>();
  readonly #sent = new Set<string>();

  constructor(clock: Clock, notify: (type: ExpiryNotice['type'], version: SecretVersion) => void) {
    this.#clock = clock;
    this.#notify = notify;
  }

  /** Schedules the expiry events of `version`, the current version of its secret. */
  watch(version: SecretVersion): void {
    this.unwatch(version.name);
    const timers = expiryNotices(version.exp, this.#clock.now())
      .filter((notice) => !this.#sent.has(sentKey(version, notice)))
      .map((notice) =>
        this.#clock.schedule(notice.at, () => {
          this.#sent.add(sentKey(version, notice));
          this.#notify(notice.type, version);
        }),
      );
    this.#timers.set(secretKey(version.name), timers);
  }

  /** Cancels what was scheduled for a secret, e.g. when it is deleted. */
  unwatch(name: string): void {
    for (const cancel of this.#timers.get(secretKey(name)) ?? []) cancel();
    this.#timers.delete(secretKey(name));
  }

  close(): void {
    for (const name of [...this.#timers.keys()]) this.unwatch(name);
  }
}

function sentKey(version: SecretVersion, notice: ExpiryNotice): string {
  return `${version.version}|${version.exp ?? ''}|${notice.type}`;
}
