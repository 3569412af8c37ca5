import type { Clock } from '../host/clock';

/** One minute of one site's or slot's traffic. */
interface Bucket {
  requests: number;
  http2xx: number;
  http3xx: number;
  http4xx: number;
  http5xx: number;
  responseSeconds: number;
}

type CountField = Exclude<keyof Bucket, 'responseSeconds'>;

/**
 * The App Service metrics the sandbox computes. Count metrics have one sample per minute (that
 * minute's count); `HttpResponseTime` has one per request, so its average weighs requests alike.
 */
export const appServiceMetrics = {
  Requests: { unit: 'Count', field: 'requests' },
  Http2xx: { unit: 'Count', field: 'http2xx' },
  Http3xx: { unit: 'Count', field: 'http3xx' },
  Http4xx: { unit: 'Count', field: 'http4xx' },
  Http5xx: { unit: 'Count', field: 'http5xx' },
  HttpResponseTime: { unit: 'Seconds', field: undefined },
} as const satisfies Record<string, { unit: string; field: CountField | undefined }>;

export type MetricName = keyof typeof appServiceMetrics;

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(appServiceMetrics, name);
}

/** One interval of a metric, with every aggregation Azure Monitor offers for it. */
export interface MetricPoint {
  timeStamp: string;
  total: number;
  count: number;
  average?: number;
  minimum?: number;
  maximum?: number;
}

const minuteMs = 60_000;

/**
 * Traffic counters per resource id (a site or a slot) in one-minute buckets of the sandbox clock,
 * recorded by the front end for every request it forwards. Like Azure Monitor's, a minute's counts
 * can arrive late: they show only `delayMs` after the minute has ended.
 */
export class MetricsStore {
  readonly #buckets = new Map<string, Map<number, Bucket>>();

  constructor(
    private readonly clock: Clock,
    private readonly delayMs = 0,
  ) {}

  record(resourceId: string, status: number, durationMs: number): void {
    const minute = Math.floor(this.clock.now() / minuteMs) * minuteMs;
    const key = resourceId.toLowerCase();
    const byMinute = this.#buckets.get(key) ?? new Map<number, Bucket>();
    this.#buckets.set(key, byMinute);
    const bucket = byMinute.get(minute) ?? {
      requests: 0,
      http2xx: 0,
      http3xx: 0,
      http4xx: 0,
      http5xx: 0,
      responseSeconds: 0,
    };
    byMinute.set(minute, bucket);
    bucket.requests += 1;
    if (status >= 500) bucket.http5xx += 1;
    else if (status >= 400) bucket.http4xx += 1;
    else if (status >= 300) bucket.http3xx += 1;
    else if (status >= 200) bucket.http2xx += 1;
    bucket.responseSeconds += durationMs / 1000;
  }

  /** A metric over [start, end) in intervals of `intervalMs` (whole minutes), aligned to `start`. */
  series(
    resourceId: string,
    metric: MetricName,
    start: number,
    end: number,
    intervalMs: number,
  ): MetricPoint[] {
    const byMinute = this.#buckets.get(resourceId.toLowerCase());
    const field = appServiceMetrics[metric].field;
    const points: MetricPoint[] = [];
    // With no delay, the current minute shows its counts so far, as it always has here.
    const arrived = (minute: number): boolean =>
      this.delayMs === 0 || minute + minuteMs + this.delayMs <= this.clock.now();
    for (let from = start; from < end; from += intervalMs) {
      const samples: { value: number; weight: number; sum: number }[] = [];
      for (let minute = from; minute < Math.min(from + intervalMs, end); minute += minuteMs) {
        const b = arrived(minute) ? byMinute?.get(minute) : undefined;
        if (!b) continue;
        if (field) samples.push({ value: b[field], weight: 1, sum: b[field] });
        else if (b.requests > 0)
          samples.push({ value: b.responseSeconds / b.requests, weight: b.requests, sum: b.responseSeconds });
      }
      points.push(aggregate(new Date(from).toISOString(), samples, field !== undefined));
    }
    return points;
  }
}

function aggregate(
  timeStamp: string,
  samples: { value: number; weight: number; sum: number }[],
  isCount: boolean,
): MetricPoint {
  const total = samples.reduce((t, s) => t + s.sum, 0);
  const count = samples.reduce((c, s) => c + s.weight, 0);
  // A count metric reports 0 for a quiet interval; a duration has nothing to average.
  if (samples.length === 0)
    return isCount
      ? { timeStamp, total: 0, count: 0, average: 0, minimum: 0, maximum: 0 }
      : { timeStamp, total: 0, count: 0 };
  const values = samples.map((s) => s.value);
  return {
    timeStamp,
    total,
    count,
    average: total / count,
    minimum: Math.min(...values),
    maximum: Math.max(...values),
  };
}
