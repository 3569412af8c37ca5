import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { armError, armPreflight } from './arm';
import type { SandboxContext, SandboxModule } from './context';
import { appServiceMetrics, isMetricName } from './metrics';
import type { MetricName, MetricPoint } from './metrics';

export interface MonitorOptions {
  /** The region of a site or slot the sandbox knows (`westeurope`); undefined for any other id. */
  regionOf(resourceId: string): string | undefined;
}

/**
 * Where the sandbox serves one region's batch metrics, as Azure does on
 * `https://<region>.metrics.monitor.azure.com`: this path on the sandbox's origin.
 */
export function regionalMetricsPath(region: string): string {
  return `/metrics/${region}`;
}

/** Intervals Azure Monitor accepts, in milliseconds; `FULL` is one interval over the whole span. */
const intervals: Record<string, number> = {
  PT1M: 60_000,
  PT5M: 300_000,
  PT15M: 900_000,
  PT30M: 1_800_000,
  PT1H: 3_600_000,
  PT6H: 21_600_000,
  PT12H: 43_200_000,
  P1D: 86_400_000,
};

const aggregations = ['total', 'average', 'count', 'minimum', 'maximum'] as const;
type Aggregation = (typeof aggregations)[number];

const query = z.object({
  metricnames: z.string().min(1),
  metricnamespace: z.string().optional(),
  aggregation: z.string().optional(),
  interval: z.string().optional(),
});

interface MetricsRequest {
  resourceIds: string[];
  names: MetricName[];
  namespace: string | undefined;
  aggregations: Aggregation[];
  start: number;
  end: number;
  intervalMs: number;
}

/**
 * Azure Monitor's metrics API for the sandbox's sites and slots: the regional batch endpoint that
 * `MetricsClient.queryResources` calls (`POST {regionalMetricsPath}/subscriptions/{sub}/metrics:getBatch`),
 * which refuses resources of another region as Azure's does, and the per-resource
 * `GET {resource}/providers/Microsoft.Insights/metrics` of ARM. Values come from the traffic the
 * front ends really forwarded.
 */
export function monitorModule(options: MonitorOptions): SandboxModule {
  return (app: FastifyInstance, ctx: SandboxContext) => {
    type BatchRoute = {
      Params: { region: string; sub: string };
      Querystring: Record<string, string>;
      Body: unknown;
    };
    app.post<BatchRoute>(
      `${regionalMetricsPath(':region')}/subscriptions/:sub/metrics::getBatch`,
      (req, reply) => {
        if (!armPreflight(ctx, req, reply)) return reply;
        const body = z.object({ resourceids: z.array(z.string()).min(1) }).safeParse(req.body);
        if (!body.success)
          return armError(
            reply,
            400,
            'BadRequest',
            'The body must be {"resourceids": [...]} with at least one resource id.',
          );
        const region = req.params.region.toLowerCase();
        const elsewhere = body.data.resourceids
          .map((id) => ({ id, region: options.regionOf(id) }))
          .find((r) => r.region !== undefined && r.region !== region);
        if (elsewhere)
          return armError(
            reply,
            400,
            'BadRequest',
            `The resource ${elsewhere.id} is in region ${elsewhere.region ?? ''}, but this endpoint serves ${region}: every resource of a batch must be in the endpoint's region.`,
          );
        const parsed = parseRequest(
          req.query,
          body.data.resourceids,
          req.query.starttime,
          req.query.endtime,
          reply,
          options,
        );
        if (!parsed) return reply;
        return {
          values: parsed.resourceIds.map((resourceId) => ({
            starttime: iso(parsed.start),
            endtime: iso(parsed.end),
            interval: durationOf(parsed.intervalMs),
            namespace: namespaceOf(resourceId),
            resourceregion: region,
            resourceid: resourceId,
            value: parsed.names.map((name) => metricValue(ctx, resourceId, name, parsed)),
          })),
        };
      },
    );

    const single = (resourceId: string, q: Record<string, string>, reply: FastifyReply): unknown => {
      const [from, to] = (q.timespan ?? '').split('/');
      const parsed = parseRequest(q, [resourceId], from, to, reply, options);
      if (!parsed) return reply;
      return {
        cost: 0,
        timespan: `${iso(parsed.start)}/${iso(parsed.end)}`,
        interval: durationOf(parsed.intervalMs),
        namespace: namespaceOf(resourceId),
        resourceregion: options.regionOf(resourceId),
        value: parsed.names.map((name) => metricValue(ctx, resourceId, name, parsed)),
      };
    };
    const site = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Web/sites/:site';
    type SiteRoute = {
      Params: { sub: string; rg: string; site: string; slot?: string };
      Querystring: Record<string, string>;
    };
    app.get<SiteRoute>(`${site}/providers/Microsoft.Insights/metrics`, (req, reply) => {
      if (!armPreflight(ctx, req, reply)) return reply;
      const { sub, rg, site: name } = req.params;
      return single(
        `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`,
        req.query,
        reply,
      );
    });
    app.get<SiteRoute>(`${site}/slots/:slot/providers/Microsoft.Insights/metrics`, (req, reply) => {
      if (!armPreflight(ctx, req, reply)) return reply;
      const { sub, rg, site: name, slot = '' } = req.params;
      return single(
        `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}/slots/${slot}`,
        req.query,
        reply,
      );
    });
    return undefined;
  };
}

function parseRequest(
  raw: Record<string, string>,
  resourceIds: string[],
  from: string | undefined,
  to: string | undefined,
  reply: FastifyReply,
  options: MonitorOptions,
): MetricsRequest | undefined {
  const q = query.safeParse(raw);
  if (!q.success) {
    void armError(reply, 400, 'BadRequest', 'metricnames is required.');
    return undefined;
  }
  const unknownResource = resourceIds.find((id) => options.regionOf(id) === undefined);
  if (unknownResource) {
    void armError(reply, 404, 'ResourceNotFound', `The resource ${unknownResource} was not found.`);
    return undefined;
  }
  const names = q.data.metricnames.split(',').map((n) => n.trim());
  const unknown = names.find((n) => !isMetricName(n));
  if (unknown !== undefined) {
    void armError(
      reply,
      400,
      'BadRequest',
      `Failed to find metric configuration for provider: Microsoft.Web, resource Type: sites, metric: ${unknown}, Valid metrics: ${Object.keys(appServiceMetrics).join(',')}`,
    );
    return undefined;
  }
  const namespace = q.data.metricnamespace;
  const wrongNamespace =
    namespace !== undefined &&
    resourceIds.find((id) => namespaceOf(id).toLowerCase() !== namespace.toLowerCase());
  if (wrongNamespace) {
    void armError(reply, 400, 'BadRequest', `${wrongNamespace} is not in the metric namespace ${namespace}.`);
    return undefined;
  }
  const start = Date.parse(from ?? '');
  const end = Date.parse(to ?? '');
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    void armError(reply, 400, 'BadRequest', 'The time span must be a valid start and a later end.');
    return undefined;
  }
  const intervalText = (q.data.interval ?? 'PT1M').toUpperCase();
  const alignedStart = Math.floor(start / 60_000) * 60_000;
  const intervalMs =
    intervalText === 'FULL' ? Math.ceil((end - alignedStart) / 60_000) * 60_000 : intervals[intervalText];
  if (intervalMs === undefined) {
    void armError(
      reply,
      400,
      'BadRequest',
      `Invalid interval ${intervalText}; use one of ${Object.keys(intervals).join(', ')} or FULL.`,
    );
    return undefined;
  }
  const requested = (q.data.aggregation ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');
  const bad = requested.find((a) => !(aggregations as readonly string[]).includes(a));
  if (bad !== undefined) {
    void armError(reply, 400, 'BadRequest', `Invalid aggregation ${bad}.`);
    return undefined;
  }
  return {
    resourceIds,
    names: names as MetricName[],
    namespace,
    aggregations: requested as Aggregation[],
    start: alignedStart,
    end,
    intervalMs,
  };
}

function metricValue(
  ctx: SandboxContext,
  resourceId: string,
  name: MetricName,
  request: MetricsRequest,
): Record<string, unknown> {
  const definition = appServiceMetrics[name];
  // Without an aggregation, Azure Monitor answers with the metric's primary one.
  const wanted: Aggregation[] =
    request.aggregations.length > 0
      ? request.aggregations
      : [definition.unit === 'Count' ? 'total' : 'average'];
  const points = ctx.metrics.series(resourceId, name, request.start, request.end, request.intervalMs);
  return {
    id: `${resourceId}/providers/Microsoft.Insights/metrics/${name}`,
    type: 'Microsoft.Insights/metrics',
    // localizedValue equals value, so MetricsClient's getMetricByName finds metrics by their ids.
    name: { value: name, localizedValue: name },
    displayDescription: `${name} of the sandbox's front end for this app.`,
    unit: definition.unit,
    errorCode: 'Success',
    timeseries: [{ metadatavalues: [], data: points.map((p) => pick(p, wanted)) }],
  };
}

function pick(point: MetricPoint, wanted: Aggregation[]): Record<string, unknown> {
  const data: Record<string, unknown> = { timeStamp: point.timeStamp };
  for (const a of wanted) if (point[a] !== undefined) data[a] = point[a];
  return data;
}

function namespaceOf(resourceId: string): string {
  return /\/slots\/[^/]+$/i.test(resourceId) ? 'Microsoft.Web/sites/slots' : 'Microsoft.Web/sites';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** An ISO 8601 duration such as PT1M, PT4H or P1D. */
function durationOf(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}
