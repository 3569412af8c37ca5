import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import { actionGroupModule, budgetAlertPath, metricAlertPath } from '../../dev/sandbox/actionGroup/module';
import type { SandboxActionGroup } from '../../dev/sandbox/actionGroup/module';
import { audiences } from '../../dev/sandbox/tokens';
import { fixture } from '../support/fixtures';
import { shapeDifferences } from '../support/shape';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { waitFor } from '../support/testHost';

const subscriptionId = '00000000-0000-0000-0000-0000000ac701';
const siteId = `/subscriptions/${subscriptionId}/resourceGroups/Shop-RG/providers/Microsoft.Web/sites/contoso-web`;

interface Received {
  hook: string;
  query: string;
  body: Record<string, unknown>;
}

describe('sandbox action group', () => {
  const clock = new VirtualClock(Date.parse('2026-03-14T09:30:00Z'));
  const received: Received[] = [];
  /** Statuses the receiver answers next, one per request; 200 once they run out. */
  const answers: number[] = [];
  let receiver: Server;
  let base = '';
  let group: SandboxActionGroup;
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;

  before(async () => {
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        received.push({
          hook: url.pathname,
          query: url.search,
          body: JSON.parse(text) as Record<string, unknown>,
        });
        res.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://localhost:${(receiver.address() as AddressInfo).port}`;
    group = actionGroupModule({
      subscriptionId,
      webhooks: [
        {
          name: 'common',
          serviceUri: `${base}/common?secret=s3cret-in-the-query`,
          useCommonAlertSchema: true,
        },
        {
          name: 'legacy',
          serviceUri: `${base}/legacy?secret=s3cret-in-the-query`,
          useCommonAlertSchema: false,
        },
      ],
    });
    sandbox = await startTestSandbox([group.module], clock);
  });
  beforeEach(() => {
    received.length = 0;
    answers.length = 0;
  });
  after(async () => {
    await sandbox.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const bodyOf = (hook: string): Record<string, unknown> => {
    const hit = received.find((r) => r.hook === hook);
    assert.ok(hit, `${hook} received nothing`);
    return hit.body;
  };
  const alertData = (body: Record<string, unknown>): Record<string, unknown> =>
    (body as { data: { alertContext: { AlertData: Record<string, unknown> } } }).data.alertContext.AlertData;

  it('sends each webhook the shape its common-schema switch picks, the common one as Azure’s published sample', async () => {
    const sent = await group.sendBudgetAlert({
      budgetName: 'Test_actual_cost_budget',
      thresholdPercent: 50,
      budgetAmount: 50,
      spent: 11111,
      startDate: '2022-11-01',
    });
    assert.deepEqual(
      sent.deliveries.map((d) => [d.name, d.ok, d.attempts, d.endpoint]),
      [
        ['common', true, 1, `${base}/common`],
        ['legacy', true, 1, `${base}/legacy`],
      ],
    );
    assert.ok(
      sent.deliveries.every((r) => !r.endpoint.includes('s3cret')),
      'results never show the secret',
    );
    const common = bodyOf('/common');
    assert.deepEqual(
      shapeDifferences(fixture('monitor-alert-budget-actual-costalerts-fired.json'), common),
      [],
    );
    const data = alertData(common);
    assert.deepEqual(
      [
        data.BudgetThreshold,
        data.NotificationThresholdAmount,
        data.SpentAmount,
        data.ThresholdType,
        data.Unit,
      ],
      ['$50.00', '$25.00', '$11,111.00', 'Actual', 'USD'],
    );
    assert.equal(data.Scope, `/subscriptions/${subscriptionId}/`);
    assert.equal(
      data.BudgetId,
      `/subscriptions/${subscriptionId}/providers/Microsoft.Consumption/budgets/Test_actual_cost_budget`,
    );
    const essentials = (common as { data: { essentials: Record<string, unknown> } }).data.essentials;
    assert.equal(essentials.alertId, sent.alertId);
    assert.deepEqual(
      [essentials.monitoringService, essentials.alertRule, essentials.severity, essentials.alertTargetIDs],
      ['CostAlerts', null, null, null],
    );
    assert.equal(essentials.firedDateTime, '2026-03-14T09:30:00.000Z', 'on the sandbox clock');

    assert.deepEqual(bodyOf('/legacy'), {
      schemaId: 'AIP Budget Notification',
      data: {
        SubscriptionName: 'Shepherd sandbox',
        SubscriptionId: subscriptionId,
        SpendingAmount: '11111',
        BudgetStartDate: '11/1/2022',
        Budget: '50',
        Unit: 'USD',
        BudgetCreator: 'sandbox@shepherd.test',
        BudgetName: 'Test_actual_cost_budget',
        BudgetType: 'Cost',
        ResourceGroup: '',
        NotificationThresholdAmount: '0.5',
      },
    });
  });

  it('writes amounts in the budget’s currency and locale, and a forecast on a forecasted alert', async () => {
    const cases: [string, string, Record<string, string>][] = [
      [
        'EUR',
        'de-DE',
        { BudgetThreshold: '11.111,00\u00a0€', NotificationThresholdAmount: '11.111,00\u00a0€' },
      ],
      [
        'EUR',
        'fr-FR',
        { BudgetThreshold: '11\u202f111,00\u00a0€', NotificationThresholdAmount: '11\u202f111,00\u00a0€' },
      ],
      ['JPY', 'ja-JP', { BudgetThreshold: '￥11,111', NotificationThresholdAmount: '￥11,111' }],
    ];
    for (const [currency, locale, expected] of cases) {
      received.length = 0;
      await group.sendBudgetAlert({
        budgetName: 'shop-prod',
        kind: 'forecasted',
        thresholdPercent: 100,
        budgetAmount: 11111,
        currency,
        locale,
        shape: 'common',
      });
      assert.equal(received.length, 2, 'a forced shape goes to every webhook');
      for (const hook of ['/common', '/legacy']) {
        const data = alertData(bodyOf(hook));
        assert.deepEqual(
          {
            BudgetThreshold: data.BudgetThreshold,
            NotificationThresholdAmount: data.NotificationThresholdAmount,
          },
          expected,
          `${currency} in ${locale}`,
        );
        assert.equal(data.ThresholdType, 'Forecasted');
        assert.equal(data.ForecastedTotalForPeriod, expected.NotificationThresholdAmount);
        assert.equal(data.Unit, currency);
      }
    }
  });

  it('writes the threshold as an amount, a ratio or a percentage when asked, and a resource group scope', async () => {
    for (const [thresholdAs, written] of [
      ['amount', '$800.00'],
      ['ratio', '0.8'],
      ['percent', '80'],
    ] as const) {
      received.length = 0;
      await group.sendBudgetAlert({
        budgetName: 'shop',
        thresholdPercent: 80,
        scope: `/subscriptions/${subscriptionId}/resourceGroups/shop-rg`,
        thresholdAs,
      });
      assert.equal(alertData(bodyOf('/common')).NotificationThresholdAmount, written);
    }
    const legacy = (bodyOf('/legacy') as { data: Record<string, unknown> }).data;
    assert.equal(legacy.ResourceGroup, 'shop-rg');
  });

  it('tries a webhook answering 503 again after 10 s and 30 s of sandbox time, and gives up after 3 tries', async () => {
    answers.push(503, 200, 503, 503, 503);
    const sending = group.sendBudgetAlert({ budgetName: 'retried', thresholdPercent: 80, shape: 'common' });
    await waitFor('the first tries', () => Promise.resolve(received.length === 2 ? true : undefined));
    await clock.advance(9_999);
    assert.equal(received.length, 2, 'no retry before 10 s');
    await clock.advance(1);
    await waitFor('the second try', () => Promise.resolve(received.length === 3 ? true : undefined));
    await clock.advance(29_999);
    assert.equal(received.length, 3, 'no retry before 30 s more');
    await clock.advance(1);
    const sent = await sending;
    assert.equal(received.length, 4);
    const byName = Object.fromEntries(sent.deliveries.map((r) => [r.name, r]));
    const failing = received[0]?.hook === '/common' ? 'common' : 'legacy';
    const other = failing === 'common' ? 'legacy' : 'common';
    assert.deepEqual(
      [byName[failing]?.ok, byName[failing]?.attempts, byName[failing]?.status],
      [false, 3, 503],
    );
    assert.deepEqual([byName[other]?.ok, byName[other]?.attempts], [true, 1]);
  });

  it('does not try again after an answer Azure does not retry, such as 401', async () => {
    answers.push(401, 401);
    const sent = await group.sendBudgetAlert({ budgetName: 'refused', thresholdPercent: 80 });
    assert.deepEqual(
      sent.deliveries.map((r) => [r.attempts, r.status]),
      [
        [1, 401],
        [1, 401],
      ],
    );
  });

  it('fires and resolves a metric alert on a site under one alert id, in the common schema', async () => {
    const fired = await group.sendMetricAlert({ resourceIds: [siteId], rule: 'http5xx', condition: 'Fired' });
    await clock.advance(120_000);
    const resolved = await group.sendMetricAlert({
      resourceIds: [siteId],
      rule: 'http5xx',
      condition: 'Resolved',
    });
    assert.equal(fired.alertId, resolved.alertId);
    const [firedBody, resolvedBody] = received.filter((r) => r.hook === '/common').map((r) => r.body);
    // Custom properties are whatever the rule's author set; the rest of the shape is Azure's.
    const example = fixture('monitor-alert-metric-static-fired.json') as {
      data: { alertContext: { properties: unknown }; customProperties: unknown };
    };
    example.data.alertContext.properties = {};
    example.data.customProperties = {};
    assert.deepEqual(shapeDifferences(example, firedBody), []);
    const essentials = (body: unknown): Record<string, unknown> =>
      (body as { data: { essentials: Record<string, unknown> } }).data.essentials;
    assert.deepEqual(essentials(firedBody).alertTargetIDs, [siteId.toLowerCase()]);
    assert.equal(essentials(firedBody).monitorCondition, 'Fired');
    assert.equal(essentials(resolvedBody).monitorCondition, 'Resolved');
    assert.equal(essentials(resolvedBody).firedDateTime, essentials(firedBody).firedDateTime);
    assert.equal(essentials(resolvedBody).resolvedDateTime, new Date(clock.now()).toISOString());
  });

  it('takes both over HTTPS with an ARM token, and refuses a bad body or a missing token', async () => {
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    const token = (await credential.getToken(`${audiences.arm}/.default`)).token;
    const post = (path: string, body: unknown, auth = `Bearer ${token}`): Promise<Response> =>
      fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post(budgetAlertPath, { budgetName: 'over-https', thresholdPercent: 100 });
    assert.equal(ok.status, 200);
    const result = (await ok.json()) as { deliveries: { ok: boolean }[] };
    assert.deepEqual(
      result.deliveries.map((r) => r.ok),
      [true, true],
    );
    const bad = await post(budgetAlertPath, { budgetName: 'x', thresholdPercent: 'lots' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /thresholdPercent/);
    const alert = await post(metricAlertPath, { resourceIds: [siteId], condition: 'Fired' });
    assert.equal(alert.status, 200);
    assert.equal(
      (await post(metricAlertPath, { resourceIds: ['/not/a/site'], condition: 'Fired' })).status,
      400,
    );
    assert.equal(
      (await post(budgetAlertPath, { budgetName: 'x', thresholdPercent: 1 }, 'Bearer nope')).status,
      401,
    );
  });
});
