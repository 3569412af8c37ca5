import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../dev/host/clock';
import { loadConfig } from '../../src/config';
import type { Target } from '../../src/config';
import { queueLoop } from '../../src/orchestrations/release/queue';
import { release } from '../../src/orchestrations/release/release';
import { warmUpLoop } from '../../src/orchestrations/release/warmUp';
import { watchLoop } from '../../src/orchestrations/release/watch';
import {
  queueLoopOrchestrator,
  warmUpLoopOrchestrator,
  watchLoopOrchestrator,
  releaseOrchestrator,
} from '../../src/functionNames';
import { targetSnapshot } from '../../src/orchestrations/releaseModel';
import type { AbortRequest, ReleaseInput, ReleaseStatus } from '../../src/orchestrations/releaseModel';
import { DurableReplay, registerForReplay } from './durableReplay';
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
  'probeSlot',
  'stopReleaseLoop',
  'notifyPeople',
  'recordAudit',
  'promoteImage',
  'stopPromotedRelease',
];

/**
 * A target as Shepherd reads it from a targets file: `fields` over a canary target of site `web`;
 * `alongside` are more targets in the same file (e.g. the one it promotes to).
 */
export function replayTarget(
  fields: Record<string, unknown> = {},
  alongside: Record<string, unknown>[] = [],
): Target {
  const dir = tempDir('replay-targets');
  const file = join(dir, 'targets.json');
  const target = {
    name: 'web',
    site: { subscriptionId: '00000000-0000-0000-0000-00000000aaaa', resourceGroup: 'rg', name: 'web' },
    registry: { loginServer: 'reg.azurecr.io', repository: 'contoso/web' },
    ...fields,
  };
  writeFileSync(file, JSON.stringify({ targets: [target, ...alongside] }));
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
export class ReleaseReplay extends DurableReplay<FakeReleaseAzure> {
  constructor(start = Date.parse('2026-03-02T10:00:30Z')) {
    const clock = new VirtualClock(start);
    registerForReplay(warmUpLoopOrchestrator, warmUpLoop, []);
    registerForReplay(queueLoopOrchestrator, queueLoop, []);
    registerForReplay(watchLoopOrchestrator, watchLoop, []);
    super(
      registerForReplay(releaseOrchestrator, release, releaseActivities),
      new FakeReleaseAzure(() => clock.now(), { production: oldImage }),
      clock,
    );
    // The fake's `stopReleaseLoop` raises its event here, as the activity does through the durable client.
    this.fake.raiseEvent = (id, event) => {
      this.engine.raiseEvent(id, event, 'null');
    };
  }

  /**
   * Runs the release to its end, noting how many events its history holds then and the most any
   * other instance (a generation of one of its loops) held at any moment.
   */
  async finishCountingHistory(
    id: string,
  ): Promise<{ releaseEvents: number; largestLoopEvents: number; status: ReleaseStatus }> {
    let largestLoopEvents = 0;
    await this.runUntil(`${id} to end`, () => {
      for (const state of this.engine.list())
        if (state.instanceId !== id) largestLoopEvents = Math.max(largestLoopEvents, state.history.length);
      return this.ended(id);
    });
    const status = await this.finish(id);
    return { releaseEvents: this.engine.get(id)?.history.length ?? 0, largestLoopEvents, status };
  }

  /** The model of Azure the release's activities act on. */
  get azure(): FakeReleaseAzure {
    return this.fake;
  }

  /** Starts a release; returns its instance id. */
  start(input: ReleaseInput): Promise<string> {
    return this.startInstance(releaseOrchestrator, input.releaseId, input);
  }

  /** Raises the abort event, as a person's rollback, an alert or a newer push does. */
  async abort(id: string, request: AbortRequest): Promise<void> {
    await this.raise(id, 'abort', request);
  }

  /** Runs the release to its end and returns its output: the full status. */
  override async finish(id: string, limitMs?: number): Promise<ReleaseStatus> {
    return (await super.finish(id, limitMs)) as ReleaseStatus;
  }

  /** The release's custom status as a person reads it while it runs. */
  override customStatus(id: string): ReleaseStatus {
    return super.customStatus(id) as ReleaseStatus;
  }
}
