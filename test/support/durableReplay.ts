import * as df from 'durable-functions';
import type { OrchestrationHandler } from 'durable-functions';
import { VirtualClock } from '../../dev/host/clock';
import { DurableEngine } from '../../dev/host/durable/engine';
import { InstanceStore } from '../../dev/host/durable/store';
import { FunctionsCore } from '../../dev/host/functionsCore';
import { invokeFunction } from '../../dev/host/invoke';
import { tempDir } from './testHost';

/** What answers a replay's activities: a small model of the world the activities act on. */
export interface ActivityFake {
  run(name: string, input: Record<string, unknown>): Promise<unknown>;
  /** How many calls the fake holds in flight now; the engine is not idle while they run. */
  held(): number;
}

/** The one functions core of this test process, and what it has registered. */
let core: FunctionsCore | undefined;
const orchestrations = new Set<string>();
const activities = new Set<string>();
/** The fake the registered activities answer from: the running replay's. */
let activeFake: ActivityFake | undefined;

/**
 * Registers the real orchestrator `name` and activities named `activityNames`, answered by the
 * running replay's fake, in this process's functions core (made on first use, as a worker loads an app).
 */
export function registerForReplay(
  name: string,
  handler: OrchestrationHandler,
  activityNames: readonly string[],
): FunctionsCore {
  if (!core) {
    core = new FunctionsCore();
    core.install();
  }
  if (!orchestrations.has(name)) {
    df.app.orchestration(name, handler);
    orchestrations.add(name);
  }
  for (const activity of activityNames) {
    if (activities.has(activity)) continue;
    df.app.activity(activity, {
      handler: (input: unknown) => {
        if (!activeFake) throw new Error('No replay is running.');
        return activeFake.run(activity, input as Record<string, unknown>);
      },
    });
    activities.add(activity);
  }
  return core;
}

/**
 * Real orchestrators replayed by the local host's durable engine (and so by `durable-functions`' own
 * replay code) on a virtual clock, their activities answered by a fake. Days of timers take
 * milliseconds, and a test can hold an activity in flight and raise an event while it runs.
 */
export class DurableReplay<F extends ActivityFake> {
  readonly clock: VirtualClock;
  readonly engine: DurableEngine;
  #inFlight = 0;

  constructor(
    functions: FunctionsCore,
    readonly fake: F,
    clock: VirtualClock,
  ) {
    this.clock = clock;
    activeFake = fake;
    this.engine = new DurableEngine(
      functions,
      new InstanceStore(tempDir('replay')),
      clock,
      'NonRunningStates',
      async (fn, input) => {
        this.#inFlight += 1;
        try {
          return await invokeFunction(functions, fn, input);
        } finally {
          this.#inFlight -= 1;
        }
      },
    );
  }

  /** Starts orchestration `name` as `instanceId`; returns the id once its first episode has run. */
  async startInstance(name: string, instanceId: string, input: unknown): Promise<string> {
    const result = this.engine.startNew(name, { instanceId, input });
    if (!('started' in result)) throw new Error(`${name} did not start: ${JSON.stringify(result)}`);
    await this.settle();
    return result.started;
  }

  async raise(id: string, event: string, payload: unknown): Promise<void> {
    const outcome = this.engine.raiseEvent(id, event, JSON.stringify(payload));
    if (outcome !== 'raised')
      throw new Error(`The event ${event} was not raised: the instance is ${outcome}.`);
    await this.settle();
  }

  /**
   * Waits until the engine has nothing left to do at this moment of virtual time: no episode waiting
   * to run and no activity running, except those the fake holds in flight.
   */
  async settle(): Promise<void> {
    let quietTurns = 0;
    while (quietTurns < 2) {
      await new Promise((resolve) => setImmediate(resolve));
      const busy = this.engine.list().some((s) => s.inbox.length > 0) || this.#inFlight > this.fake.held();
      quietTurns = busy ? 0 : quietTurns + 1;
    }
  }

  /** Moves virtual time on, timer by timer, until `done` holds; fails when nothing more can happen. */
  async runUntil(what: string, done: () => boolean, limitMs = 7 * 24 * 3_600_000): Promise<void> {
    const limit = this.clock.now() + limitMs;
    await this.settle();
    while (!done()) {
      const next = this.clock.nextDue();
      if (next === undefined || next > limit)
        throw new Error(
          `Waited for ${what}, but nothing more happens (at ${new Date(this.clock.now()).toISOString()}).`,
        );
      await this.clock.advanceTo(next, () => this.settle());
    }
  }

  /** Runs the instance to its end and returns its output. */
  async finish(id: string, limitMs?: number): Promise<unknown> {
    await this.runUntil(`${id} to end`, () => this.ended(id), limitMs);
    const state = this.engine.get(id);
    if (state?.runtimeStatus !== 'Completed')
      throw new Error(`${id} ended ${state?.runtimeStatus ?? 'missing'}: ${JSON.stringify(state?.output)}`);
    return state.output;
  }

  ended(id: string): boolean {
    const status = this.engine.get(id)?.runtimeStatus;
    return status === 'Completed' || status === 'Failed' || status === 'Terminated';
  }

  /** The instance's custom status, as a person reads it while it runs. */
  customStatus(id: string): unknown {
    return this.engine.get(id)?.customStatus;
  }

  stop(): void {
    this.engine.stop();
    if (activeFake === this.fake) activeFake = undefined;
  }
}
