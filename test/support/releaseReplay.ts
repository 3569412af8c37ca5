import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as df from 'durable-functions';
import { VirtualClock } from '../../dev/host/clock';
import { DurableEngine } from '../../dev/host/durable/engine';
import { InstanceStore } from '../../dev/host/durable/store';
import { FunctionsCore } from '../../dev/host/functionsCore';
import { invokeFunction } from '../../dev/host/invoke';
import { loadConfig } from '../../src/config';
import type { Target } from '../../src/config';
import { release } from '../../src/orchestrations/release/release';
import { releaseOrchestrator, targetSnapshot } from '../../src/orchestrations/releaseModel';
import type { AbortRequest, ReleaseInput, ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { FakeReleaseAzure } from './fakeReleaseActivities';
import { repoRoot, tempDir } from './testHost';

/** Every activity a release calls; the replay answers each from a `FakeReleaseAzure`. */
const releaseActivities = [
  'supersedeEarlierReleases',
  'takeBackup',
  'readKnownGood',
  'recordKnownGood',
  'readProductionImage',
  'deployToSlot',
  'checkSlotHealth',
  'runSmokeChecks',
  'setTrafficShare',
  'clearTrafficRouting',
  'startSwap',
  'followSwap',
  'readWindowMetrics',
  'notifyPeople',
  'recordAudit',
];

/** The one functions core of this test process, with the real `release` orchestrator registered. */
let core: FunctionsCore | undefined;
/** The fake the registered activities answer from: the current replay's. */
let activeFake: FakeReleaseAzure | undefined;

function registeredCore(): FunctionsCore {
  if (core) return core;
  core = new FunctionsCore();
  core.install();
  df.app.orchestration(releaseOrchestrator, release);
  for (const name of releaseActivities) {
    df.app.activity(name, {
      handler: (input: unknown) => {
        if (!activeFake) throw new Error('No replay is running.');
        return activeFake.run(name, input as Record<string, unknown>);
      },
    });
  }
  return core;
}

/** A target as Shepherd reads it from a targets file: `fields` over a canary target of site `web`. */
export function replayTarget(fields: Record<string, unknown> = {}): Target {
  const dir = tempDir('replay-targets');
  const file = join(dir, 'targets.json');
  const target = {
    name: 'web',
    site: { subscriptionId: '00000000-0000-0000-0000-00000000aaaa', resourceGroup: 'rg', name: 'web' },
    registry: { loginServer: 'reg.azurecr.io', repository: 'contoso/web' },
    ...fields,
  };
  writeFileSync(file, JSON.stringify({ targets: [target] }));
  const config = loadConfig(
    {
      SHEPHERD_TASK_HUB: 'Replay',
      SHEPHERD_TARGETS_FILE: file,
      SHEPHERD_ACR_WEBHOOK_SECRET: 'replay-webhook-secret',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'replay-alert-secret!',
      SHEPHERD_BACKUP_STORAGE: 'UseDevelopmentStorage=true',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
    },
    repoRoot,
  );
  const [parsed] = config.targets;
  if (!parsed) throw new Error('The replay target did not parse.');
  return targetSnapshot(parsed);
}

export const oldImage = 'reg.azurecr.io/contoso/web:1.0.0@sha256:' + '1'.repeat(64);
export const newImage = 'reg.azurecr.io/contoso/web:2.0.0@sha256:' + '2'.repeat(64);

/** The input a push of `newImage` to `target` starts a release with. */
export function pushOf(target: Target, releaseId = 'release:web:222222222222222222222222'): ReleaseInput {
  return {
    kind: 'push',
    releaseId,
    target,
    image: newImage,
    tag: '2.0.0',
    digest: `sha256:${'2'.repeat(64)}`,
    frozen: false,
  };
}

/**
 * The real `release` orchestrator replayed by the local host's durable engine (and so by
 * `durable-functions`' own replay code) on a virtual clock, with its activities answered by a
 * `FakeReleaseAzure`. Hours of timers take milliseconds, and a test can hold any activity in flight
 * and raise an event while it runs, exactly as it could happen in Azure.
 */
export class ReleaseReplay {
  readonly clock: VirtualClock;
  readonly azure: FakeReleaseAzure;
  readonly engine: DurableEngine;
  #inFlight = 0;

  constructor(start = Date.parse('2026-03-02T10:00:30Z')) {
    this.clock = new VirtualClock(start);
    this.azure = new FakeReleaseAzure(() => this.clock.now(), { production: oldImage });
    activeFake = this.azure;
    const functions = registeredCore();
    this.engine = new DurableEngine(
      functions,
      new InstanceStore(tempDir('replay')),
      this.clock,
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

  /** Starts a release; returns its instance id. */
  async start(input: ReleaseInput): Promise<string> {
    const result = this.engine.startNew(releaseOrchestrator, { instanceId: input.releaseId, input });
    if (!('started' in result)) throw new Error(`The release did not start: ${JSON.stringify(result)}`);
    await this.settle();
    return result.started;
  }

  /** Raises the abort event, as a person's rollback, an alert or a newer push does. */
  async abort(id: string, request: AbortRequest): Promise<void> {
    await this.raise(id, 'abort', request);
  }

  async raise(id: string, event: string, payload: unknown): Promise<void> {
    const outcome = this.engine.raiseEvent(id, event, JSON.stringify(payload));
    if (outcome !== 'raised')
      throw new Error(`The event ${event} was not raised: the instance is ${outcome}.`);
    await this.settle();
  }

  /**
   * Waits until the engine has nothing left to do at this moment of virtual time: no episode waiting
   * to run and no activity running, except those a test holds in flight.
   */
  async settle(): Promise<void> {
    let quietTurns = 0;
    while (quietTurns < 2) {
      await new Promise((resolve) => setImmediate(resolve));
      const busy = this.engine.list().some((s) => s.inbox.length > 0) || this.#inFlight > this.azure.held();
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

  /** Runs the release to its end and returns its output: the full status. */
  async finish(id: string, limitMs?: number): Promise<ReleaseStatus> {
    await this.runUntil(`release ${id} to end`, () => this.ended(id), limitMs);
    const state = this.engine.get(id);
    if (state?.runtimeStatus !== 'Completed')
      throw new Error(
        `The release ended ${state?.runtimeStatus ?? 'missing'}: ${JSON.stringify(state?.output)}`,
      );
    return state.output as ReleaseStatus;
  }

  ended(id: string): boolean {
    const status = this.engine.get(id)?.runtimeStatus;
    return status === 'Completed' || status === 'Failed' || status === 'Terminated';
  }

  /** The release's custom status as a person reads it while it runs. */
  customStatus(id: string): ReleaseStatus {
    return this.engine.get(id)?.customStatus as ReleaseStatus;
  }

  stop(): void {
    this.engine.stop();
    if (activeFake === this.azure) activeFake = undefined;
  }
}
