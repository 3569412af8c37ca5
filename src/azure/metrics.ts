import type { TokenCredential } from '@azure/identity';
import { shepherdUserAgent } from './userAgent';
import type { Metric, MetricValue, MetricsClient, MetricsQueryResult } from '@azure/monitor-query-metrics';
import { AzureOperationError, azureCall } from './azureOperationError';
import { sdk } from './sdk';

/** What a site or slot served in one analysis window, as Azure Monitor counted it. */
export interface WindowCounts {
  requests: number;
  http5xx: number;
  http4xx: number;
  /** Average response time in seconds; undefined when nothing was served. */
  averageResponseSeconds: number | undefined;
  /** The average response time (seconds) of each minute of the window, in order; null for a quiet minute. */
  responseSecondsByMinute: (number | null)[];
}

/**
 * The numbers a canary window is judged on, for sites and slots at once (the slot and production
 * over the same window). Any failure to read them rejects; the caller decides what an unreadable
 * window means.
 */
export interface WindowMetrics {
  /**
   * Counts for each resource id (site `…/sites/{site}` or slot `…/sites/{site}/slots/{slot}`) over
   * [start, end), keyed by the ids as given. Azure Monitor works in whole minutes, so windows
   * should start and end on one.
   */
  query(resourceIds: readonly string[], start: Date, end: Date): Promise<Map<string, WindowCounts>>;
}

export interface MonitorOptions {
  credential: TokenCredential;
  /** The metrics endpoint of the resources' region, e.g. `https://westeurope.metrics.monitor.azure.com`. */
  endpoint: string;
}

const metricNames = ['Requests', 'Http5xx', 'Http4xx', 'HttpResponseTime'];

/**
 * WindowMetrics over `@azure/monitor-query-metrics`' batch API: one call per subscription and
 * namespace (sites and slots are different namespaces), each asking for one point per minute (the
 * finest grain App Service metrics have), so that response times can be compared minute by minute.
 * Counts are the Totals added up; the response time is each minute's Average.
 */
export class MonitorWindowMetrics implements WindowMetrics {
  readonly #client: MetricsClient;

  constructor(options: MonitorOptions) {
    this.#client = new (sdk('@azure/monitor-query-metrics').MetricsClient)(
      options.endpoint,
      options.credential,
      shepherdUserAgent,
    );
  }

  async query(resourceIds: readonly string[], start: Date, end: Date): Promise<Map<string, WindowCounts>> {
    if (!(end.getTime() > start.getTime()))
      throw new RangeError(`A metrics window must end after it starts (${start.toISOString()}).`);
    const batches = toBatches(resourceIds);
    if (batches.length === 0) return new Map();
    return azureCall(`read the metrics of ${resourceIds.join(', ')}`, async () => {
      const results = await Promise.all(
        batches.map((batch) =>
          this.#client.queryResources(batch.resourceIds, metricNames, batch.namespace, {
            startTime: start,
            endTime: end,
            interval: 'PT1M',
            aggregation: 'Total,Average',
          }),
        ),
      );
      return fromMetricsResults(resourceIds, results.flat(), start, end);
    });
  }
}

/** One `queryResources` call: resources that share a subscription and a metric namespace. */
export interface MetricsBatch {
  namespace: string;
  resourceIds: string[];
}

/** Groups resource ids the way the batch API needs them; ids repeated in another case are asked once. */
export function toBatches(resourceIds: readonly string[]): MetricsBatch[] {
  const batches = new Map<string, MetricsBatch>();
  const seen = new Set<string>();
  for (const id of resourceIds) {
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    const namespace = metricNamespaceOf(id);
    const key = `${subscriptionOf(id)}|${namespace}`.toLowerCase();
    const batch = batches.get(key) ?? { namespace, resourceIds: [] };
    batch.resourceIds.push(id);
    batches.set(key, batch);
  }
  return [...batches.values()];
}

/**
 * Each requested id's counts over [start, end) from the batch results, read at one point per minute.
 * Azure may spell an id in another case than it was asked (resource groups especially), so ids
 * match case-insensitively. A resource or metric missing from the answer, or reported with an
 * error, throws: a window must not read as quiet because its numbers are missing.
 */
export function fromMetricsResults(
  resourceIds: readonly string[],
  results: readonly MetricsQueryResult[],
  start: Date,
  end: Date,
): Map<string, WindowCounts> {
  const byId = new Map<string, MetricsQueryResult>();
  for (const result of results) if (result.resourceId) byId.set(result.resourceId.toLowerCase(), result);
  const counts = new Map<string, WindowCounts>();
  for (const id of resourceIds) {
    const result = byId.get(id.toLowerCase());
    if (!result) throw new Error(`Azure Monitor returned no metrics for ${id}.`);
    const metric = (name: string): Metric => metricOf(result, name, id);
    const requests = byMinute(metric('Requests'), start, end, (point) => point.total);
    const responseSeconds = byMinute(metric('HttpResponseTime'), start, end, (point) => point.average);
    counts.set(id, {
      requests: totalOf(metric('Requests')),
      http5xx: totalOf(metric('Http5xx')),
      http4xx: totalOf(metric('Http4xx')),
      averageResponseSeconds: weightedAverage(responseSeconds, requests),
      responseSecondsByMinute: responseSeconds,
    });
  }
  return counts;
}

/**
 * A metric of one result, found by the last segment of its id: the SDK's `name` is Azure's localized
 * display name ("Http Server Errors" for Http5xx), which `getMetricByName` would not find.
 */
function metricOf(result: MetricsQueryResult, name: string, resourceId: string): Metric {
  const wanted = name.toLowerCase();
  const metric = result.metrics.find(
    (m) => m.id.split('/').pop()?.toLowerCase() === wanted || m.name.toLowerCase() === wanted,
  );
  if (!metric) throw new Error(`Azure Monitor returned no ${name} for ${resourceId}.`);
  if (metric.errorCode !== undefined && metric.errorCode.toLowerCase() !== 'success') {
    throw new AzureOperationError(
      `read ${name} of ${resourceId}`,
      undefined,
      metric.errorCode,
      metric.errorMessage ?? 'Azure Monitor reported an error for this metric.',
    );
  }
  return metric;
}

function totalOf(metric: Metric): number {
  let total = 0;
  for (const series of metric.timeseries) for (const point of series.data ?? []) total += point.total ?? 0;
  return total;
}

const minuteMs = 60_000;

/** One value per minute of [start, end) from a metric's points, by their time stamps; null where none. */
function byMinute(
  metric: Metric,
  start: Date,
  end: Date,
  valueOf: (point: MetricValue) => number | undefined,
): (number | null)[] {
  const values = Array<number | null>(Math.ceil((end.getTime() - start.getTime()) / minuteMs)).fill(null);
  for (const series of metric.timeseries)
    for (const point of series.data ?? []) {
      const minute = Math.floor((point.timeStamp.getTime() - start.getTime()) / minuteMs);
      const value = valueOf(point);
      if (minute >= 0 && minute < values.length && typeof value === 'number')
        values[minute] = (values[minute] ?? 0) + value;
    }
  return values;
}

/**
 * The window's average response time: each minute's average weighed by that minute's requests, as
 * one Average over the whole window would be. A minute with a time but no counted requests weighs
 * as one, so that a time is never dropped.
 */
function weightedAverage(
  secondsByMinute: readonly (number | null)[],
  requestsByMinute: readonly (number | null)[],
): number | undefined {
  let weighed = 0;
  let weight = 0;
  secondsByMinute.forEach((seconds, minute) => {
    if (seconds === null) return;
    const requests = Math.max(1, requestsByMinute[minute] ?? 0);
    weighed += seconds * requests;
    weight += requests;
  });
  return weight === 0 ? undefined : weighed / weight;
}

/**
 * The metric namespace of an ARM resource id: its provider and resource types, e.g.
 * `Microsoft.Web/sites/slots` for `…/providers/Microsoft.Web/sites/web/slots/staging`.
 */
export function metricNamespaceOf(resourceId: string): string {
  const parts = resourceId.split('/').filter((p) => p !== '');
  const at = parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  const typesAndNames = parts.slice(at + 2);
  const provider = parts[at + 1];
  if (at < 0 || provider === undefined || typesAndNames.length === 0 || typesAndNames.length % 2 !== 0)
    throw new RangeError(`${resourceId} is not the id of an Azure resource.`);
  return [provider, ...typesAndNames.filter((_, i) => i % 2 === 0)].join('/');
}

function subscriptionOf(resourceId: string): string {
  const [first, subscription] = resourceId.split('/').filter((p) => p !== '');
  if (first?.toLowerCase() !== 'subscriptions' || subscription === undefined)
    throw new RangeError(`${resourceId} is not the id of a resource in a subscription.`);
  return subscription;
}
