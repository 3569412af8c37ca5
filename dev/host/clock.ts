/**
 * Time as the local host sees it. Durable timers, orchestration timestamps and timer triggers all read
 * this clock, so a test can swap in a virtual one and run hours of timers in milliseconds.
 */
export interface Clock {
  now(): number;
  /**
   * Calls `callback` once the clock reaches `at` (epoch ms), never before `schedule` returns;
   * returns a function that cancels it.
   */
  schedule(at: number, callback: () => void): () => void;
}

/** Node's `setTimeout` caps delays at about 24.8 days; longer waits are re-armed in steps. */
const maxTimeoutMs = 2_147_483_647;

interface PendingTimer {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that only moves when told to. `advance` fires every timer that falls due, in time order,
 * waiting between them for the work each one starts to settle.
 */
export class VirtualClock implements Clock {
  #now: number;
  #timers: PendingTimer[] = [];
  #seq = 0;

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  schedule(at: number, callback: () => void): () => void {
    const timer = { at, seq: this.#seq++, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** The time of the earliest pending timer, if any. */
  nextDue(): number | undefined {
    return this.#earliest()?.at;
  }

  /**
   * Moves time forward by `ms`, firing due timers one at a time; `settle` is awaited after each so
   * that work a timer starts (and timers that work creates) is seen before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = () => Promise.resolve()): Promise<void> {
    await this.advanceTo(this.#now + ms, settle);
  }

  async advanceTo(target: number, settle: () => Promise<void> = () => Promise.resolve()): Promise<void> {
    await settle();
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > target) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await settle();
    }
    this.#now = Math.max(this.#now, target);
  }

  #earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/**
 * A clock that runs faster than real time: `secondsPerMinute` real seconds make one minute on it.
 * The sandbox and the local host share one, so metric minutes and durable timers agree.
 */
export class ScaledClock implements Clock {
  readonly #originReal: number;
  readonly #originScaled: number;
  readonly #factor: number;

  /**
   * `start` is the clock's time at the real moment `startReal` (now, by default); real time by
   * default. Another process given the same three values runs the very same clock.
   */
  constructor(
    readonly secondsPerMinute: number,
    start?: number,
    startReal = Date.now(),
  ) {
    if (!(secondsPerMinute > 0)) throw new Error('secondsPerMinute must be positive');
    this.#factor = 60 / secondsPerMinute;
    this.#originReal = startReal;
    this.#originScaled = start ?? this.#originReal;
  }

  /** `secondsPerMinute:start:startReal`, for `--clock` of the host's command line. */
  describe(): string {
    return `${this.secondsPerMinute}:${this.#originScaled}:${this.#originReal}`;
  }

  /** The clock `describe` wrote. */
  static parse(text: string): ScaledClock {
    const [perMinute, start, startReal] = text.split(':').map(Number);
    if (
      perMinute === undefined ||
      start === undefined ||
      startReal === undefined ||
      [perMinute, start, startReal].some(Number.isNaN)
    )
      throw new Error(`A clock is secondsPerMinute:start:startReal, not ${text}`);
    return new ScaledClock(perMinute, start, startReal);
  }

  now(): number {
    return this.#originScaled + (Date.now() - this.#originReal) * this.#factor;
  }

  schedule(at: number, callback: () => void): () => void {
    let handle: NodeJS.Timeout;
    const arm = (): void => {
      const realDelay = (at - this.now()) / this.#factor;
      handle = setTimeout(realDelay <= 0 ? callback : arm, Math.max(0, Math.min(realDelay, maxTimeoutMs)));
    };
    arm();
    return () => {
      clearTimeout(handle);
    };
  }
}

/** Real time. */
export class SystemClock extends ScaledClock {
  constructor() {
    super(60);
  }
}
