import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import type { Clock } from './clock';
import type { RegisteredFunction } from './functionsCore';
import { log } from './log';

/** When a timer trigger fires next, after a given time. */
export type Schedule = (after: number) => number;

const timeSpan = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/;

/**
 * Parses a timer trigger schedule as Azure does: a six-field NCRONTAB expression
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), evaluated in UTC unless WEBSITE_TIME_ZONE
 * says otherwise, or a TimeSpan `[d.]hh:mm:ss` interval. `%Name%` is replaced by that app setting.
 */
export function parseSchedule(raw: string, env: NodeJS.ProcessEnv = process.env): Schedule {
  const expression = raw.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined)
      throw new Error(`Schedule "${raw}" names the app setting ${name}, which is not set.`);
    return value;
  });
  const span = timeSpan.exec(expression.trim());
  if (span) {
    const [, days, hours, minutes, seconds] = span.map(Number) as [number, number, number, number, number];
    const interval =
      (((Number.isNaN(days) ? 0 : days) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000;
    if (interval <= 0) throw new Error(`Schedule "${raw}" must be a positive interval.`);
    return (after) => after + interval;
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `Schedule "${raw}" must have six fields: {second} {minute} {hour} {day} {month} {day-of-week}.`,
    );
  }
  const tz = env.WEBSITE_TIME_ZONE ?? 'UTC';
  CronExpressionParser.parse(expression, { tz });
  return (after) =>
    CronExpressionParser.parse(expression, { currentDate: new Date(after), tz })
      .next()
      .getTime();
}

interface TimerStatus {
  last?: string;
  next?: string;
  lastUpdated?: string;
}

/** Remembers each timer's last and next run on disk, as the host's schedule monitor does. */
class ScheduleMonitor {
  #statuses: Record<string, TimerStatus>;
  constructor(private readonly path: string) {
    try {
      this.#statuses = JSON.parse(readFileSync(path, 'utf8')) as Record<string, TimerStatus>;
    } catch {
      this.#statuses = {};
    }
  }
  get(name: string): TimerStatus {
    return this.#statuses[name] ?? {};
  }
  set(name: string, status: TimerStatus): void {
    this.#statuses[name] = status;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(`${this.path}.tmp`, JSON.stringify(this.#statuses, null, 2));
    renameSync(`${this.path}.tmp`, this.path);
  }
}

export type TimerInvoker = (fn: RegisteredFunction, payload: Record<string, unknown>) => Promise<void>;

/**
 * Runs timer-triggered functions on their schedules using the host clock. A run missed while the host
 * was down happens once at start-up with `isPastDue`, and `runOnStartup` is honoured.
 */
export class TimerScheduler {
  readonly #cancels: (() => void)[] = [];
  readonly #monitor: ScheduleMonitor;
  readonly #running = new Set<Promise<void>>();

  constructor(
    private readonly clock: Clock,
    statusPath: string,
    private readonly invoke: TimerInvoker,
  ) {
    this.#monitor = new ScheduleMonitor(statusPath);
  }

  start(functions: Iterable<RegisteredFunction>): void {
    for (const fn of functions) {
      if (fn.trigger.type !== 'timerTrigger') continue;
      const options = fn.trigger.options as {
        schedule?: string;
        runOnStartup?: boolean;
        useMonitor?: boolean;
      };
      const schedule = parseSchedule(options.schedule ?? '');
      const now = this.clock.now();
      const status = this.#monitor.get(fn.name);
      const missed =
        options.useMonitor !== false && status.next !== undefined && Date.parse(status.next) < now;
      if (options.runOnStartup || missed) this.#track(this.#fire(fn, schedule, now, missed));
      else
        this.#monitor.set(fn.name, {
          ...status,
          next: new Date(schedule(now)).toISOString(),
          lastUpdated: new Date(now).toISOString(),
        });
      this.#arm(fn, schedule, schedule(now));
    }
  }

  /** Runs a timer function now, as `POST /admin/functions/{name}` does. */
  runNow(fn: RegisteredFunction): Promise<void> {
    const schedule = parseSchedule((fn.trigger.options as { schedule?: string }).schedule ?? '');
    const run = this.#fire(fn, schedule, this.clock.now(), false);
    this.#track(run);
    return run;
  }

  stop(): void {
    for (const cancel of this.#cancels.splice(0)) cancel();
  }

  /** Resolves once no timer function is running. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #track(run: Promise<void>): void {
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  #arm(fn: RegisteredFunction, schedule: Schedule, at: number): void {
    this.#cancels.push(
      this.clock.schedule(at, () => {
        const now = this.clock.now();
        this.#arm(fn, schedule, schedule(Math.max(now, at)));
        this.#track(this.#fire(fn, schedule, now, now - at > 1000));
      }),
    );
  }

  async #fire(fn: RegisteredFunction, schedule: Schedule, now: number, isPastDue: boolean): Promise<void> {
    const status = this.#monitor.get(fn.name);
    const next = new Date(schedule(now)).toISOString();
    const payload = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: {
        Last: status.last ?? new Date(0).toISOString(),
        Next: next,
        LastUpdated: new Date(now).toISOString(),
      },
      IsPastDue: isPastDue,
    };
    this.#monitor.set(fn.name, {
      last: new Date(now).toISOString(),
      next,
      lastUpdated: new Date(now).toISOString(),
    });
    try {
      await this.invoke(fn, payload);
    } catch (err) {
      log({
        level: 'error',
        category: 'system',
        message: `Timer function failed: ${err instanceof Error ? err.message : String(err)}`,
        functionName: fn.name,
      });
    }
  }
}
