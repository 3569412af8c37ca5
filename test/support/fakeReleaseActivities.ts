import type { AzureStepResult } from '../../src/activities/azureStep';
import type { SlotHealth } from '../../src/activities/checkSlotHealth';
import type { ProbeRound } from '../../src/activities/probeSlot';
import type { WindowMetricsResult } from '../../src/activities/readWindowMetrics';
import type { SwapLook, SwapStart } from '../../src/activities/swapIntoProduction';
import type { TakeBackupResult } from '../../src/activities/takeBackup';
import type { AuditEntry } from '../../src/domain/auditEntry';
import type { WindowCounts } from '../../src/domain/canaryWindow';
import type { KnownGood } from '../../src/domain/knownGood';
import type { PlaceInQueue } from '../../src/domain/targetQueue';
import { releaseInstanceId } from '../../src/domain/releaseId';
import type { AbortRequest } from '../../src/orchestrations/releaseModel';
import type { PromotionRequest, PromotionResult } from '../../src/promotionControl';
import type { ReleaseNotice } from '../../src/orchestrations/releaseNotice';

/** An activity call the fake saw, with the virtual time it came at. */
export interface ActivityCall {
  name: string;
  input: Record<string, unknown>;
  at: number;
}

/** Holds the next call of an activity in flight until the test lets it go. */
export interface Gate {
  /** Whether the held call has started. */
  readonly entered: boolean;
  release(): void;
}

/**
 * How a scripted call fails: refused by Azure (`status`, `reason`), thrown before it acts, or thrown
 * after it acted (an activity that timed out once its side effect was done).
 */
type Failure = { status?: number; reason: string } | { thrown: string } | { thrownAfter: string };

/** Counts of a five-minute window with `requests` spread over its minutes, each averaging `ms`. */
export const counts = (requests: number, http5xx: number, ms = 80): WindowCounts => ({
  requests,
  http5xx,
  averageResponseSeconds: requests > 0 ? ms / 1000 : undefined,
  responseSecondsByMinute: Array<number | null>(5).fill(requests > 0 ? ms / 1000 : null),
});

/** Metrics a healthy canary shows: plenty of requests, no errors, on the slot and in production. */
export const healthyMetrics: WindowMetricsResult = { slot: counts(500, 0), production: counts(4500, 0) };
/** Metrics of a faulty image: a third of the slot's requests fail, a severe fault the watch finds mid-window. */
export const failingMetrics: WindowMetricsResult = { slot: counts(500, 170), production: counts(4500, 0) };
/**
 * Metrics of a doubtful image: 8 of 500 requests fail (1.6%), over the 1% gate at the window's end but
 * not overwhelmingly (the 99.9% lower bound is 0.6%), so no early rollback.
 */
export const doubtfulMetrics: WindowMetricsResult = { slot: counts(500, 8), production: counts(4500, 0) };

/**
 * The release's activities as a test controls them: a small model of one App Service site (what
 * production and the slot run, the routing rule, a swap in progress, the known-good tags) that the
 * fakes change as the real activities would change Azure, plus whatever a test scripts: failures,
 * health, metrics, held calls. Each fake answers in the real activity's contract.
 */
export class FakeReleaseAzure {
  production: string | null;
  slot: string | null;
  /** The slot's share of production's users; null when there is no routing rule. */
  routing: number | null = null;
  knownGood: KnownGood;
  /** The swap App Service is running: when it ends, and whether it will fail. */
  swap: { id: string; endsAt: number; fails?: string } | undefined;
  /** How long a swap takes, in virtual milliseconds. */
  swapTakesMs = 45_000;
  /** Why the next swaps fail; undefined when they succeed. */
  swapFails: string | undefined;
  readonly #endedSwaps = new Map<string, SwapLook['progress']>();
  place: PlaceInQueue = { earlier: [], later: [] };
  health: (slotImage: string | null, wanted: string) => SlotHealth = (slotImage, wanted) =>
    slotImage === wanted
      ? { healthy: true, detail: '/health answered 200' }
      : { healthy: false, detail: `the slot runs ${slotImage ?? 'no image'}` };
  smokeFailures: string[] = [];
  /** How one round of probes goes: every check answered as expected unless a test says otherwise. */
  probe: (checks: { path: string; expectStatus: number }[]) => ProbeRound = (checks) => ({
    sent: checks.length,
    http5xx: 0,
    failures: [],
  });
  /** Raises an event on a durable instance, as the durable client does; the replay sets it. */
  raiseEvent: (instanceId: string, event: string) => void = () => {
    throw new Error('No replay is running.');
  };
  metrics: (window: { start: string; end: string }) => WindowMetricsResult = () => healthyMetrics;
  backup: TakeBackupResult = {
    ok: true,
    backup: {
      name: 'web/appdb/20260101T000000.000Z_release.dump',
      target: 'web',
      database: 'appdb',
      takenAt: '2026-01-01T00:00:00.000Z',
      verifiedAt: '2026-01-01T00:00:01.000Z',
      sizeBytes: 1234,
      sha256: 'ab'.repeat(32),
      releaseId: null,
      image: null,
      pgDumpVersion: '16.4',
      serverVersion: '16.4',
    },
  };
  /** The releases promotions started, by id, as the task hub holds them: a second start of one id starts none. */
  readonly promoted = new Map<string, PromotionRequest>();
  /** The promoted releases asked to stop, and by whom. */
  readonly promotedStopped: { releaseId: string; request: AbortRequest }[] = [];
  /** The promoted releases that have already put their image in production. */
  readonly promotedSucceeded = new Set<string>();
  readonly calls: ActivityCall[] = [];
  readonly notices: ReleaseNotice[] = [];
  /** The audit trail as Table storage keeps it: an entry written again replaces itself. */
  readonly audit = new Map<string, AuditEntry>();
  /** Every change of the routing rule, with when it happened. */
  readonly routingChanges: { at: number; share: number | null }[] = [];
  /** Every swap that completed: when, and the routing rule production had at that moment. */
  readonly swapsDone: { at: number; routing: number | null; production: string | null }[] = [];
  /** The probes' requests the slot answered, with when: Azure Monitor counts them with the users'. */
  readonly #probed: { at: number; sent: number; http5xx: number }[] = [];
  readonly #failures = new Map<string, Failure[]>();
  readonly #gates = new Map<string, { entered: boolean; released: Promise<void>; release: () => void }>();
  #nextSwap = 0;

  constructor(
    private readonly now: () => number,
    start: { production: string; knownGood?: KnownGood },
  ) {
    this.production = start.production;
    this.slot = start.production;
    this.knownGood = start.knownGood ?? { latest: start.production };
  }

  /** The next `times` calls of `activity` fail: refused by Azure with `status`, or thrown (`thrown`). */
  failNext(activity: string, failure: Failure, times = 1): void {
    this.#failures.set(activity, [
      ...(this.#failures.get(activity) ?? []),
      ...Array<Failure>(times).fill(failure),
    ]);
  }

  /** Holds the next call of `activity` in flight until `release` is called. */
  hold(activity: string): Gate {
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const gate = { entered: false, released, release };
    this.#gates.set(activity, gate);
    return {
      get entered() {
        return gate.entered;
      },
      release,
    };
  }

  /** How many calls are held in flight now. */
  held(): number {
    return [...this.#gates.values()].filter((g) => g.entered).length;
  }

  /** The audit entries written, oldest first. */
  trail(): AuditEntry[] {
    return [...this.audit.values()].sort((a, b) => a.at.localeCompare(b.at));
  }

  callsOf(activity: string): ActivityCall[] {
    return this.calls.filter((c) => c.name === activity);
  }

  /** Runs one activity call as the real activity would act on Azure. */
  async run(name: string, input: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ name, input, at: this.now() });
    const gate = this.#gates.get(name);
    if (gate) {
      gate.entered = true;
      await gate.released;
      this.#gates.delete(name);
    }
    this.#finishSwap();
    const failure = this.#failures.get(name)?.shift();
    if (failure && 'thrown' in failure) throw new Error(failure.thrown);
    if (failure && 'reason' in failure) return { ok: false, ...failure } satisfies AzureStepResult<never>;
    const result = this.#act(name, input);
    if (failure) throw new Error(failure.thrownAfter);
    return result;
  }

  #act(name: string, input: Record<string, unknown>): unknown {
    const image = typeof input.image === 'string' ? input.image : '';
    switch (name) {
      case 'supersedeEarlierReleases':
        return ok(this.place);
      case 'takeBackup':
        return this.backup;
      case 'readKnownGood':
        return ok({ record: this.knownGood, production: this.production });
      case 'recordKnownGood':
        this.knownGood = input.record as KnownGood;
        return ok(undefined);
      case 'readProductionImage':
        return ok(this.production);
      case 'deployToSlot':
        this.slot = image;
        return ok(undefined);
      case 'checkSlotHealth':
        return ok(this.health(this.slot, image));
      case 'runSmokeChecks':
        return ok({ failures: this.smokeFailures });
      case 'setTrafficShare':
        this.#route(input.percent as number);
        return ok(undefined);
      case 'clearTrafficRouting':
        this.#route(null);
        return ok(undefined);
      case 'startSwap':
        return ok(this.#startSwap(image));
      case 'followSwap':
        return ok(this.#followSwap(String(input.operation)));
      case 'probeSlot': {
        const round = this.probe(input.checks as { path: string; expectStatus: number }[]);
        this.#probed.push({ at: this.now(), sent: round.sent, http5xx: round.http5xx });
        return ok(round);
      }
      case 'stopReleaseLoop':
        this.raiseEvent(input as unknown as string, 'stop');
        return undefined;
      case 'readWindowMetrics':
        return this.#withProbes(input as { start: string; end: string });
      case 'notifyPeople':
        this.notices.push(input.notice as ReleaseNotice);
        return ok(undefined);
      case 'promoteImage':
        return ok(this.#promote(input as unknown as PromotionRequest));
      case 'stopPromotedRelease': {
        const asked = input as unknown as { releaseId: string; request: AbortRequest };
        if (!this.promoted.has(asked.releaseId)) return ok({ alreadySucceeded: false, missing: true });
        this.promotedStopped.push(asked);
        return ok({ alreadySucceeded: this.promotedSucceeded.has(asked.releaseId) });
      }
      case 'recordAudit':
        for (const entry of input as unknown as AuditEntry[])
          this.audit.set(`${entry.at} ${entry.id}`, entry);
        return ok(undefined);
      default:
        throw new Error(`The fake has no activity ${name}.`);
    }
  }

  /** The scripted users' metrics of a window, with the probes in it counted on the slot as Azure does. */
  #withProbes(window: { start: string; end: string }): WindowMetricsResult {
    const metrics = this.metrics(window);
    if ('error' in metrics) return metrics;
    const [start, end] = [Date.parse(window.start), Date.parse(window.end)];
    const within = this.#probed.filter((p) => p.at >= start && p.at < end);
    const sent = within.reduce((sum, p) => sum + p.sent, 0);
    const http5xx = within.reduce((sum, p) => sum + p.http5xx, 0);
    return {
      ...metrics,
      slot: {
        ...metrics.slot,
        requests: metrics.slot.requests + sent,
        http5xx: metrics.slot.http5xx + http5xx,
      },
    };
  }

  /** Starts the promoted release once, under the id a push of the digest to the next target would have. */
  #promote(request: PromotionRequest): PromotionResult {
    const releaseId = releaseInstanceId(request.to, request.digest);
    const started = !this.promoted.has(releaseId);
    if (started) this.promoted.set(releaseId, request);
    return { releaseId, started };
  }

  #route(share: number | null): void {
    this.routing = share;
    this.routingChanges.push({ at: this.now(), share });
  }

  #startSwap(image: string): SwapStart {
    if (this.production === image) return { state: 'done' };
    if (this.slot !== image) return { state: 'refused', reason: `the slot runs ${this.slot ?? 'no image'}` };
    if (this.swap) return { state: 'busy', reason: 'another operation is in progress' };
    const id = `swap-${++this.#nextSwap}`;
    this.swap = {
      id,
      endsAt: this.now() + this.swapTakesMs,
      ...(this.swapFails ? { fails: this.swapFails } : {}),
    };
    return { state: 'started', operation: id };
  }

  #followSwap(operation: string): SwapLook {
    const progress =
      this.swap?.id === operation ? { state: 'running' as const } : this.#endedSwaps.get(operation);
    if (progress === undefined) throw new Error(`The fake started no swap ${operation}.`);
    return { production: this.production, progress };
  }

  /** A swap goes on in Azure whether or not anyone looks; it ends when its time is up. */
  #finishSwap(): void {
    const swap = this.swap;
    if (!swap || this.now() < swap.endsAt) return;
    this.swap = undefined;
    if (swap.fails !== undefined) {
      this.#endedSwaps.set(swap.id, { state: 'failed', reason: swap.fails });
      return;
    }
    [this.production, this.slot] = [this.slot, this.production];
    // Routing rules stay on production: after the swap a rule sends its users to the old image.
    this.swapsDone.push({ at: swap.endsAt, routing: this.routing, production: this.production });
    this.#endedSwaps.set(swap.id, { state: 'succeeded' });
  }
}

function ok<T>(value: T): AzureStepResult<T> {
  return { ok: true, value };
}
