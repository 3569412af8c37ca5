import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metric, MetricsQueryResult, MetricValue } from '@azure/monitor-query-metrics';
import { AzureOperationError, redact, toAzureOperationError } from '../../src/azure/azureOperationError';
import { fromApiKVReference } from '../../src/azure/keyVaultReferences';
import { fromMetricsResults, metricNamespaceOf, toBatches } from '../../src/azure/metrics';
import { deploymentSlot, siteOf, siteResourceId } from '../../src/azure/siteRef';
import { toRegionName } from '../../src/azure/siteRegions';
import { fromLinuxFxVersion, toLinuxFxVersion } from '../../src/azure/slotDeployment';
import { toRampUpRules } from '../../src/azure/trafficRouter';
import { fixture } from '../support/fixtures';

const sub = '00000000-0000-0000-0000-0000000a2e05';
const site = { subscriptionId: sub, resourceGroup: 'Shepherd-RG', name: 'web' };
const siteId = siteResourceId(site);
const slotId = siteResourceId(site, 'staging');

describe('linuxFxVersion mappers', () => {
  const reads: [string | undefined, string | undefined][] = [
    ['DOCKER|reg.azurecr.io/web:1.2.3', 'reg.azurecr.io/web:1.2.3'],
    ['docker|reg.azurecr.io/web@sha256:abc123', 'reg.azurecr.io/web@sha256:abc123'],
    ['DOCKER|', undefined],
    ['NODE|20-lts', undefined],
    ['COMPOSE|dmVyc2lvbjogJzMn', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, image] of reads) {
    it(`reads ${JSON.stringify(value)} as ${String(image)}`, () => {
      assert.equal(fromLinuxFxVersion(value), image);
    });
  }

  it('writes an image as a Docker linuxFxVersion, and refuses what is not an image', () => {
    assert.equal(toLinuxFxVersion('reg.azurecr.io/web:2'), 'DOCKER|reg.azurecr.io/web:2');
    for (const bad of ['', 'reg/web:2 --privileged', 'NODE|20'])
      assert.throws(() => toLinuxFxVersion(bad), RangeError, bad);
  });
});

describe('site references', () => {
  it('treats no slot and "production" in any case as production', () => {
    assert.equal(deploymentSlot(undefined), undefined);
    assert.equal(deploymentSlot('Production'), undefined);
    assert.equal(deploymentSlot('staging'), 'staging');
    assert.equal(siteResourceId(site, 'PRODUCTION'), siteId);
    assert.equal(
      slotId,
      `/subscriptions/${sub}/resourceGroups/Shepherd-RG/providers/Microsoft.Web/sites/web/slots/staging`,
    );
  });

  it('finds the site of a site’s or slot’s resource id in any case, and refuses other ids', () => {
    assert.deepEqual(siteOf(siteId), site);
    assert.deepEqual(siteOf(slotId), site);
    assert.deepEqual(siteOf(slotId.toLowerCase()), {
      subscriptionId: sub,
      resourceGroup: 'shepherd-rg',
      name: 'web',
    });
    for (const other of [
      `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Insights/components/web`,
      `${slotId}/extra`,
      `/subscriptions/${sub}/resourceGroups/rg`,
      '',
    ])
      assert.throws(() => siteOf(other), RangeError, other);
  });
});

describe('toRegionName', () => {
  const names: [string, string][] = [
    ['West Europe', 'westeurope'],
    ['East US 2', 'eastus2'],
    ['westeurope', 'westeurope'],
    ['  North  Europe ', 'northeurope'],
    ['USGov Virginia', 'usgovvirginia'],
  ];
  for (const [location, region] of names) {
    it(`names the location ${JSON.stringify(location)} ${region}`, () => {
      assert.equal(toRegionName(location), region);
    });
  }

  it('refuses a location that cannot name an endpoint’s host', () => {
    for (const bad of ['', 'west.europe', 'evil.example/westeurope', '(Europe) West Europe'])
      assert.throws(() => toRegionName(bad), RangeError, bad);
  });
});

describe('toRampUpRules', () => {
  it('writes one rule per share, with the slot’s host name and nothing for auto-ramp', () => {
    assert.deepEqual(
      toRampUpRules([{ slot: 'staging', hostName: 'web-staging.azurewebsites.net', percent: 10 }]),
      [{ name: 'staging', actionHostName: 'web-staging.azurewebsites.net', reroutePercentage: 10 }],
    );
    assert.deepEqual(toRampUpRules([]), []);
  });
});

describe('metric batches', () => {
  it('names the namespace of sites and slots', () => {
    assert.equal(metricNamespaceOf(siteId), 'Microsoft.Web/sites');
    assert.equal(metricNamespaceOf(slotId), 'Microsoft.Web/sites/slots');
    for (const bad of ['', 'web', `/subscriptions/${sub}/resourceGroups/rg`, `${siteId}/slots`])
      assert.throws(() => metricNamespaceOf(bad), RangeError, bad);
  });

  it('asks once per subscription and namespace, and once per resource whatever its case', () => {
    const other = siteResourceId({ ...site, subscriptionId: '00000000-0000-0000-0000-0000000a2e06' });
    assert.deepEqual(
      toBatches([slotId, siteId, slotId.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/'), other]),
      [
        { namespace: 'Microsoft.Web/sites/slots', resourceIds: [slotId] },
        { namespace: 'Microsoft.Web/sites', resourceIds: [siteId] },
        { namespace: 'Microsoft.Web/sites', resourceIds: [other] },
      ],
    );
  });
});

describe('fromMetricsResults', () => {
  // Azure names metrics by localized display names; the ids keep the metric's own name.
  const displayNames: Record<string, string> = {
    Requests: 'Requests',
    Http5xx: 'Http Server Errors',
    Http4xx: 'Http 4xx',
    HttpResponseTime: 'Response Time',
  };
  const metric = (resourceId: string, name: string, points: Partial<MetricValue>[]): Metric => ({
    id: `${resourceId}/providers/Microsoft.Insights/metrics/${name}`,
    type: 'Microsoft.Insights/metrics',
    name: displayNames[name] ?? name,
    unit: name === 'HttpResponseTime' ? 'Seconds' : 'Count',
    errorCode: 'Success',
    timeseries: [{ data: points.map((p, i) => ({ timeStamp: new Date(Date.UTC(2026, 0, 1, 0, i)), ...p })) }],
  });
  const result = (resourceId: string, metrics: Metric[]): MetricsQueryResult => ({
    resourceId,
    metrics,
    timespan: { startTime: new Date(Date.UTC(2026, 0, 1)), endTime: new Date(Date.UTC(2026, 0, 1, 0, 5)) },
    getMetricByName: (name) => metrics.find((m) => m.name === name),
  });
  /** The five minutes the results above cover. */
  const start = new Date(Date.UTC(2026, 0, 1));
  const end = new Date(Date.UTC(2026, 0, 1, 0, 5));
  const full = (resourceId: string, requests: number, errors: number, average?: number): MetricsQueryResult =>
    result(resourceId, [
      metric(resourceId, 'Requests', [{ total: requests }]),
      metric(resourceId, 'Http5xx', [{ total: errors }]),
      metric(resourceId, 'Http4xx', [{ total: 0 }]),
      metric(resourceId, 'HttpResponseTime', [average === undefined ? {} : { average }]),
    ]);

  it('reads totals and the average under the ids asked, matched whatever their case', () => {
    const counts = fromMetricsResults(
      [slotId, siteId],
      [full(slotId.toLowerCase(), 120, 7, 0.2), full(siteId, 0, 0)],
      start,
      end,
    );
    assert.deepEqual(counts.get(slotId), {
      requests: 120,
      http5xx: 7,
      http4xx: 0,
      averageResponseSeconds: 0.2,
      responseSecondsByMinute: [0.2, null, null, null, null],
    });
    assert.deepEqual(counts.get(siteId), {
      requests: 0,
      http5xx: 0,
      http4xx: 0,
      averageResponseSeconds: undefined,
      responseSecondsByMinute: [null, null, null, null, null],
    });
  });

  it('adds up the minutes of a window, keeps each minute’s response time and weighs them by requests', () => {
    const counts = fromMetricsResults(
      [slotId],
      [
        result(slotId, [
          metric(slotId, 'Requests', [{ total: 10 }, { total: 5 }, {}]),
          metric(slotId, 'Http5xx', [{ total: 1 }, { total: 2 }]),
          metric(slotId, 'Http4xx', [{ total: 3 }]),
          metric(slotId, 'HttpResponseTime', [{ average: 0.1 }, { average: 0.3 }, {}]),
        ]),
      ],
      start,
      end,
    );
    const slot = counts.get(slotId);
    assert.equal(slot?.requests, 15);
    assert.equal(slot.http5xx, 3);
    assert.equal(slot.http4xx, 3);
    // (0.1 s × 10 requests + 0.3 s × 5) / 15 requests: the window's average, not the minutes' mean.
    assert.ok(Math.abs((slot.averageResponseSeconds ?? 0) - 2.5 / 15) < 1e-9);
    assert.deepEqual(slot.responseSecondsByMinute, [0.1, 0.3, null, null, null]);
  });

  it('throws when a resource or a metric is missing, or Azure reports a metric’s error', () => {
    assert.throws(
      () => fromMetricsResults([slotId, siteId], [full(slotId, 1, 0, 0.1)], start, end),
      /no metrics for .*sites\/web\.$/,
    );
    const partial = full(slotId, 1, 0, 0.1);
    assert.throws(
      () => fromMetricsResults([slotId], [result(slotId, partial.metrics.slice(1))], start, end),
      /no Requests/,
    );
    const failing = {
      ...metric(slotId, 'Http5xx', []),
      errorCode: 'Throttled',
      errorMessage: 'Too many requests.',
    };
    assert.throws(
      () =>
        fromMetricsResults(
          [slotId],
          [result(slotId, [...partial.metrics.filter((m) => !m.id.endsWith('Http5xx')), failing])],
          start,
          end,
        ),
      (err: unknown) =>
        err instanceof AzureOperationError &&
        err.code === 'Throttled' &&
        /Too many requests/.test(err.message),
    );
  });
});

describe('AzureOperationError', () => {
  it('tells what was done, the status and code, and Azure’s reason', () => {
    const err = new AzureOperationError(
      'restart web/staging',
      409,
      'Conflict',
      'Another operation is in progress.',
    );
    assert.equal(err.message, 'restart web/staging failed (409 Conflict): Another operation is in progress.');
    assert.equal(err.name, 'AzureOperationError');
    assert.equal(new AzureOperationError('swap', undefined, undefined, 'why').message, 'swap failed: why');
  });

  it('reads the code and reason out of a failed long-running operation', () => {
    const err = toAzureOperationError(
      'swap web/staging into production',
      new Error(
        'The long-running operation has failed. SwapFailed. The slot did not warm up: / did not answer within 1500 ms.',
      ),
    );
    assert.equal(err.code, 'SwapFailed');
    assert.equal(err.status, undefined);
    assert.equal(err.reason, 'The slot did not warm up: / did not answer within 1500 ms.');
  });

  it('keeps query strings and bearer tokens out of what it says', () => {
    assert.equal(
      redact(
        'GET https://acct.blob.core.windows.net/c/b?sv=2024&sig=SECRET failed; Authorization: Bearer eyJ0.abc-_=x',
      ),
      'GET https://acct.blob.core.windows.net/c/b?… failed; Authorization: Bearer …',
    );
    assert.doesNotMatch(
      toAzureOperationError('upload', new Error('see https://x.example/p?code=SECRET')).message,
      /SECRET/,
    );
    assert.equal(toAzureOperationError('x', 'plain').reason, 'plain');
  });
});

describe('Key Vault reference mapper', () => {
  type Example = {
    responses: { 200: { body: { value: { id: string; properties: Record<string, string> }[] } } };
  };
  const { value } = (fixture('rest-web-GetKeyVaultReferencesForAppSettings.json') as Example).responses[200]
    .body;

  it('reads the published example, naming each setting by the last part of its id', () => {
    // What the SDK makes of the example: the properties flattened, no name.
    const states = value.map((item) => fromApiKVReference({ id: item.id, ...item.properties }));
    assert.deepEqual(states, [
      {
        setting: 'secretName',
        reference: undefined,
        status: undefined,
        vault: 'keyVaultName',
        secret: 'secretName',
        pinnedVersion: 'secretVersion',
        activeVersion: undefined,
        details: undefined,
      },
      {
        setting: 'secretName2',
        reference: undefined,
        status: undefined,
        vault: 'keyVaultName',
        secret: 'secretName2',
        pinnedVersion: 'secretVersion2',
        activeVersion: undefined,
        details: undefined,
      },
    ]);
  });

  it('reads null and empty properties as absent, and prefers the name to the id', () => {
    const state = fromApiKVReference({
      id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/w/config/configreferences/appsettings/X',
      name: 'DB_URL',
      status: 'Resolved',
      secretVersion: null as unknown as string,
      activeVersion: '',
    });
    assert.equal(state.setting, 'DB_URL');
    assert.equal(state.pinnedVersion, undefined);
    assert.equal(state.activeVersion, undefined);
  });

  it('refuses a reference without a setting name', () => {
    assert.throws(() => fromApiKVReference({ status: 'Resolved' }), TypeError);
  });
});
