import type { WindowMetricsResult } from '../src/activities/readWindowMetrics';
import type { WindowCounts } from '../src/domain/canaryWindow';
import type { FakeReleaseAzure } from '../test/support/fakeReleaseActivities';

const minuteMs = 60_000;

/** A repeatable stream of uniform numbers in [0, 1): Tommy Ettinger's Mulberry32 generator. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What one image does to the requests it serves. */
export interface ImageBehaviour {
  /** The share (0–1) of its requests that end in a 5xx. */
  errorRate: number;
  /** The mean response time of one request, in milliseconds. */
  responseMs: number;
}

export interface SteadyTrafficOptions {
  /** Users' requests per minute, split between production and the slot by the routing rule. */
  requestsPerMinute: number;
  /** The image production ran before the release. */
  old: ImageBehaviour;
  /** The image being released. */
  new: ImageBehaviour;
  seed: number;
}

interface MinuteCounts {
  requests: number;
  http5xx: number;
  responseSeconds: number | null;
}

/**
 * Azure Monitor's answers for a release replayed on `azure`: each minute, `requestsPerMinute` users'
 * requests are split between production and the slot by the routing rule in force (each request
 * goes to the slot with the rule's share), and each request fails with its image's error rate
 * (which image each side runs follows the swap). A minute's per-request times scatter by half their
 * mean, so a minute's average scatters by that over √requests. Each minute is drawn once, from a
 * seeded generator, so a window read twice reads alike and a run repeats exactly.
 */
export function steadyTraffic(
  azure: FakeReleaseAzure,
  options: SteadyTrafficOptions,
): (window: { start: string; end: string }) => WindowMetricsResult {
  const random = seededRandom(options.seed);
  const minutes = new Map<number, { slot: MinuteCounts; production: MinuteCounts }>();
  const failures = (requests: number, rate: number): number => {
    let failed = 0;
    for (let i = 0; i < requests; i++) if (random() < rate) failed += 1;
    return failed;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const served = (requests: number, image: ImageBehaviour): MinuteCounts => ({
    requests,
    http5xx: failures(requests, image.errorRate),
    responseSeconds:
      requests === 0
        ? null
        : Math.max(0.001, (image.responseMs * (1 + (0.5 * normal()) / Math.sqrt(requests))) / 1000),
  });
  const minute = (at: number): { slot: MinuteCounts; production: MinuteCounts } => {
    const known = minutes.get(at);
    if (known) return known;
    const share = azure.routingChanges.filter((c) => c.at <= at).at(-1)?.share ?? 0;
    const swapped = azure.swapsDone.some((s) => s.at <= at);
    const toSlot = failures(options.requestsPerMinute, share / 100);
    const drawn = {
      slot: served(toSlot, swapped ? options.old : options.new),
      production: served(options.requestsPerMinute - toSlot, swapped ? options.new : options.old),
    };
    minutes.set(at, drawn);
    return drawn;
  };
  return (window) => {
    const drawn: { slot: MinuteCounts; production: MinuteCounts }[] = [];
    for (let at = Date.parse(window.start); at < Date.parse(window.end); at += minuteMs)
      drawn.push(minute(at));
    return { slot: windowOf(drawn.map((d) => d.slot)), production: windowOf(drawn.map((d) => d.production)) };
  };
}

function windowOf(minutes: MinuteCounts[]): WindowCounts {
  const requests = minutes.reduce((sum, m) => sum + m.requests, 0);
  const seconds = minutes.reduce((sum, m) => sum + (m.responseSeconds ?? 0) * m.requests, 0);
  return {
    requests,
    http5xx: minutes.reduce((sum, m) => sum + m.http5xx, 0),
    averageResponseSeconds: requests === 0 ? undefined : seconds / requests,
    responseSecondsByMinute: minutes.map((m) => m.responseSeconds),
  };
}
