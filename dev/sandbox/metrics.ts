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

export type Aggregation = 'Total' | 'Average' | 'Count' | 'Minimum' | 'Maximum';

/** The App Service metrics the sandbox computes, with the aggregation Azure lists as primary. */
export const appServiceMetrics: Record<
  string,
  { unit: string; primary: Aggregation; value: (b: Bucket) => number | undefined }
> = {
  Requests: { unit: 'Count', primary: 'Total', value: (b) => b.requests },
  Http2xx: { unit: 'Count', primary: 'Total', value: (b) => b.http2xx },
  Http3xx: { unit: 'Count', primary: 'Total', value: (b) => b.http3xx },
  Http4xx: { unit: 'Count', primary: 'Total', value: (b) => b.http4xx },
  Http5xx: { unit: 'Count', primary: 'Total', value: (b) => b.http5xx },
  HttpResponseTime: {
    unit: 'Seconds',
    primary: 'Average',
    value: (b) => (b.requests === 0 ? undefined : b.responseSeconds / b.requests),
  },
};

export interface MetricPoint {
  timeStamp: string;
  value: number | undefined;
}

const minuteMs = 60_000;

/**
 * Traffic counters per resource id (a site or a slot) in one-minute buckets of the sandbox clock,
 * recorded by the front end for every request it forwards.
 */
export class MetricsStore {
  readonly #buckets = new Map<string, Map<number, Bucket>>();

  constructor(private readonly clock: Clock) {}

  record(resourceId: string, status: number, durationMs: number): void {
    const minute = Math.floor(this.clock.now() / minuteMs) * minuteMs;
    const byMinute = this.#buckets.get(resourceId.toLowerCase()) ?? new Map<number, Bucket>();
    this.#buckets.set(resourceId.toLowerCase(), byMinute);
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

  /**
   * A metric's series over [start, end) at `intervalMs` granularity (a whole number of minutes),
   * as Azure Monitor aggregates it: totals add up; averages weigh each request alike.
   */
  series(
    resourceId: string,
    metric: string,
    start: number,
    end: number,
    intervalMs: number,
    aggregation: Aggregation,
  ): MetricPoint[] {
    const definition = appServiceMetrics[metric];
    if (!definition) throw new Error(`Unknown metric ${metric}`);
    const byMinute = this.#buckets.get(resourceId.toLowerCase()) ?? new Map<number, Bucket>();
    const points: MetricPoint[] = [];
    for (let from = start; from < end; from += intervalMs) {
      const merged: Bucket = {
        requests: 0,
        http2xx: 0,
        http3xx: 0,
        http4xx: 0,
        http5xx: 0,
        responseSeconds: 0,
      };
      for (let minute = from; minute < Math.min(from + intervalMs, end); minute += minuteMs) {
        const b = byMinute.get(minute);
        if (!b) continue;
        merged.requests += b.requests;
        merged.http2xx += b.http2xx;
        merged.http3xx += b.http3xx;
        merged.http4xx += b.http4xx;
        merged.http5xx += b.http5xx;
        merged.responseSeconds += b.responseSeconds;
      }
      points.push({
        timeStamp: new Date(from).toISOString(),
        value: aggregate(definition.value(merged), merged.requests, aggregation),
      });
    }
    return points;
  }
}

function aggregate(value: number | undefined, count: number, aggregation: Aggregation): number | undefined {
  if (aggregation === 'Count') return count;
  return value;
}
