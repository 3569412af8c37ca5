import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MetricsClient } from '@azure/monitor-query-metrics';
import { VirtualClock } from '../../dev/host/clock';
import { createAppService, siteKey } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { monitorModule, regionalMetricsPath } from '../../dev/sandbox/monitor';
import { fixture } from '../support/fixtures';
import { httpsGetter, inParallel } from '../support/https';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { shapeDifferences } from '../support/shape';
import { waitFor } from '../support/testHost';

const sub = '00000000-0000-0000-0000-00000000bbbb';
const siteId = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/web`;
const slotId = `${siteId}/slots/staging`;
/** A site in another region than `web`'s West Europe. */
const eastId = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/sites/east`;
const t0 = Date.parse('2026-05-05T12:00:00Z');

describe('sandbox Azure Monitor metrics with the real @azure/monitor-query-metrics', () => {
  const clock = new VirtualClock(t0);
  const appService = createAppService({
    sites: [
      {
        subscriptionId: sub,
        resourceGroup: 'rg',
        name: 'web',
        location: 'West Europe',
        slots: ['staging'],
        image: 'reg.azurecr.io/web:1',
      },
      {
        subscriptionId: sub,
        resourceGroup: 'rg',
        name: 'east',
        location: 'East US',
        slots: [],
        image: 'reg.azurecr.io/web:1',
      },
    ],
    images: (image) =>
      image === 'reg.azurecr.io/web:1'
        ? imageFaultsSchema.parse({})
        : imageFaultsSchema.parse({ errorRate: '0.3', latencyMs: '25' }),
  });
  const http = httpsGetter();
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let credential: ReturnType<typeof sandboxCredential>;
  let metrics: MetricsClient;
  let token: () => Promise<string>;

  before(async () => {
    sandbox = await startTestSandbox([appService.module, monitorModule(appService)], clock);
    credential = sandboxCredential(sandbox.url, sandbox.identity);
    metrics = new MetricsClient(`${sandbox.url}${regionalMetricsPath('westeurope')}`, credential);
    token = async () => (await credential.getToken('https://management.azure.com/.default')).token;
    const site = appService.sites.get(siteKey(sub, 'rg', 'web'));
    await site?.updateSiteConfig('staging', { linuxFxVersion: 'DOCKER|reg.azurecr.io/web:2-faulty' }, false);
  });
  after(async () => {
    http.close();
    await sandbox.close();
  });

  const slotUrl = (): string =>
    `https://${appService.sites.get(siteKey(sub, 'rg', 'web'))?.hostName('staging') ?? ''}/`;

  it('counts the requests, 5xx answers and response time the slot really served, per minute', async () => {
    await waitFor('the slot to listen', async () =>
      (await http.get(slotUrl()).catch(() => undefined)) ? true : undefined,
    );
    // Probes before the app listened were answered 503 by the front end, and count, as in Azure.
    const baseline = { requests: await sumOf(t0, 'Requests'), errors: await sumOf(t0, 'Http5xx') };
    const answers = await inParallel(200, 10, () => http.get(slotUrl()));
    // The image fails 30% with a 500; on a loaded machine the front end may also answer a 502 or 503
    // when a connection to the app drops, and Azure counts every one of them in Http5xx.
    const failed = answers.filter((a) => a.status >= 500).length;
    assert.ok(answers.filter((a) => a.status === 500).length > 20 && failed < 100, `${failed} of 200 failed`);

    const [result] = await metrics.queryResources(
      [slotId],
      ['Requests', 'Http5xx', 'HttpResponseTime'],
      'Microsoft.Web/sites/slots',
      {
        startTime: new Date(t0),
        endTime: new Date(t0 + 5 * 60_000),
        interval: 'PT1M',
        aggregation: 'Total,Average,Count',
      },
    );
    const first = (name: string): Record<string, unknown> | undefined =>
      result?.getMetricByName(name)?.timeseries[0]?.data?.[0] as Record<string, unknown> | undefined;
    assert.equal(first('Requests')?.total, 200 + baseline.requests);
    assert.equal(first('Http5xx')?.total, failed + baseline.errors);
    // Every answer of the app itself waited the image's 25 ms; the probes counted before it listened,
    // and any 502 or 503 of the front end, took next to nothing and pull the average down.
    const served = answers.filter((a) => a.status === 200 || a.status === 500).length;
    const floor = (0.025 * served) / (200 + baseline.requests);
    const average = Number(first('HttpResponseTime')?.average);
    assert.ok(average >= floor, `the injected latency shows: ${average} s on average, at least ${floor} s`);
    assert.equal(result?.getMetricByName('Requests')?.timeseries[0]?.data?.length, 5, 'one point per minute');
  });

  it('puts traffic into the minute of the sandbox clock it happened in', async () => {
    await clock.advance(2 * 60_000);
    await inParallel(30, 5, () => http.get(slotUrl()));
    const [result] = await metrics.queryResources([slotId], ['Requests'], 'Microsoft.Web/sites/slots', {
      startTime: new Date(t0),
      endTime: new Date(t0 + 3 * 60_000),
      interval: 'PT1M',
      aggregation: 'Total',
    });
    const totals = result?.getMetricByName('Requests')?.timeseries[0]?.data?.map((d) => d.total);
    assert.deepEqual(totals?.slice(1), [0, 30]);
  });

  it('refuses unknown metrics and resources', async () => {
    await assert.rejects(
      metrics.queryResources([slotId], ['CpuTime'], 'Microsoft.Web/sites/slots', {
        startTime: new Date(t0),
        endTime: new Date(t0 + 60_000),
      }),
      (err: { statusCode?: number; message: string }) =>
        err.statusCode === 400 && /Valid metrics: Requests/.test(err.message),
    );
    await assert.rejects(
      metrics.queryResources([`${siteId}/slots/nope`], ['Requests'], 'Microsoft.Web/sites/slots', {
        startTime: new Date(t0),
        endTime: new Date(t0 + 60_000),
      }),
      (err: { statusCode?: number }) => err.statusCode === 404,
    );
  });

  it('serves each region’s resources on its own endpoint and refuses another region’s, as Azure does', async () => {
    const query = (client: MetricsClient, ids: string[]) =>
      client.queryResources(ids, ['Requests'], 'Microsoft.Web/sites', {
        startTime: new Date(t0),
        endTime: new Date(t0 + 60_000),
      });
    const eastUs = new MetricsClient(`${sandbox.url}${regionalMetricsPath('eastus')}`, credential);
    const [east] = await query(eastUs, [eastId]);
    assert.equal(east?.resourceId, eastId);
    assert.equal(east.resourceRegion, 'eastus');
    const [west] = await query(metrics, [siteId]);
    assert.equal(west?.resourceRegion, 'westeurope');

    for (const [client, ids] of [
      [metrics, [siteId, eastId]],
      [eastUs, [siteId]],
    ] as const) {
      await assert.rejects(
        query(client, [...ids]),
        (err: { statusCode?: number; code?: string; message: string }) =>
          err.statusCode === 400 &&
          err.code === 'BadRequest' &&
          /is in region (eastus|westeurope), but this endpoint serves/.test(err.message),
      );
    }
  });

  it('takes requests in the published examples’ form and answers in their shape', async () => {
    const production = `https://${appService.sites.get(siteKey(sub, 'rg', 'web'))?.hostName() ?? ''}/`;
    await inParallel(5, 5, () => http.get(production));
    const batch = fixture('rest-monitor-MetricBatchExample2.json') as {
      parameters: Record<string, unknown>;
      responses: { 200: { body: unknown } };
    };
    const p = batch.parameters;
    const params = new URLSearchParams({
      starttime: new Date(t0).toISOString(),
      endtime: new Date(t0 + 4 * 3600_000).toISOString(),
      interval: String(p.interval),
      metricnamespace: 'Microsoft.Web/sites',
      metricnames: 'HttpResponseTime',
      aggregation: String(p.aggregation),
      top: String(p.top),
      orderby: String(p.orderby),
      filter: String(p.filter),
      rollupby: String(p.rollupby),
      'api-version': String(p['api-version']),
    });
    const batchAnswer = await send(
      'POST',
      `${regionalMetricsPath('westeurope')}/subscriptions/${sub}/metrics:getBatch?${params.toString()}`,
      { resourceids: [siteId] },
    );
    assert.deepEqual(shapeDifferences(batch.responses[200].body, batchAnswer), []);

    const single = fixture('rest-monitor-GetMetric.json') as {
      parameters: Record<string, unknown>;
      responses: { 200: { body: unknown } };
    };
    const q = single.parameters;
    const singleParams = new URLSearchParams({
      timespan: `${new Date(t0).toISOString()}/${new Date(t0 + 2 * 3600_000).toISOString()}`,
      interval: String(q.interval),
      metricnames: 'Requests',
      aggregation: String(q.aggregation),
      $filter: String(q.$filter),
      top: String(q.top),
      orderby: String(q.orderby),
      'api-version': String(q['api-version']),
    });
    const singleAnswer = await send(
      'GET',
      `${siteId}/providers/Microsoft.Insights/metrics?${singleParams.toString()}`,
      undefined,
    );
    assert.deepEqual(shapeDifferences(single.responses[200].body, singleAnswer), []);
  });

  async function sumOf(from: number, metric: string): Promise<number> {
    const [result] = await metrics.queryResources([slotId], [metric], 'Microsoft.Web/sites/slots', {
      startTime: new Date(from),
      endTime: new Date(from + 60_000),
      interval: 'PT1M',
      aggregation: 'Total',
    });
    return result?.getMetricByName(metric)?.timeseries[0]?.data?.[0]?.total ?? 0;
  }

  async function send(method: string, path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  }
});
