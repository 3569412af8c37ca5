import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BudgetAlert } from '../../src/domain/budgetAlert';
import { parseBudgetAlert } from '../../src/functions/payloads/budgetAlert';
import type { ParseResult } from '../../src/functions/payloads/parseResult';
import { fixture } from '../support/fixtures';
import { edit, itRefuses, type Refusal } from '../support/payloadRows';

const actual = fixture('monitor-alert-budget-actual-costalerts-fired.json');
const forecasted = fixture('monitor-alert-budget-forecasted-costalerts-fired.json');
const legacy = fixture('budget-notification-legacy.json');
// The sample in Microsoft's cost-management-budget-scenario docs, its "<GUID>" given a real one.
const scenarioLegacy = {
  schemaId: 'AIP Budget Notification',
  data: {
    SubscriptionName: 'CCM - Microsoft Azure Enterprise - 1',
    SubscriptionId: '6f1f2b8c-3d4e-4a5b-9c7d-0e1f2a3b4c5d',
    SpendingAmount: '100',
    BudgetStartDate: '6/1/2018',
    Budget: '50',
    Unit: 'USD',
    BudgetCreator: 'email@contoso.com',
    BudgetName: 'BudgetName',
    BudgetType: 'Cost',
    ResourceGroup: '',
    NotificationThresholdAmount: '0.8',
  },
};

const actualRead: BudgetAlert = {
  schema: 'common',
  budgetName: 'Test_actual_cost_budget',
  budgetId:
    '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/providers/Microsoft.Consumption/budgets/Test_actual_cost_budget',
  scope: { subscriptionId: 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e' },
  kind: 'actual',
  thresholdPercent: 50,
  budgetAmount: 50,
  spent: 11111,
  currency: 'USD',
  startDate: '2022-11-01',
  firedAt: '2025-04-15T17:53:32.996Z',
};

const alertData = 'data.alertContext.AlertData';
/** The shared sample with fields of its AlertData changed (or removed, when undefined). */
const actualWith = (fields: Record<string, unknown>): unknown =>
  edit(actual, Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${alertData}.${k}`, v])));
const legacyWith = (fields: Record<string, unknown>): unknown =>
  edit(scenarioLegacy, Object.fromEntries(Object.entries(fields).map(([k, v]) => [`data.${k}`, v])));

function valueOf(result: ParseResult<BudgetAlert> | undefined): BudgetAlert {
  assert.ok(result, 'expected a budget alert, got undefined (not a budget alert)');
  if (!result.ok) assert.fail(`expected a budget alert, got ${JSON.stringify(result.problems)}`);
  return result.value;
}

describe('budget alerts in the shapes Azure publishes', () => {
  const published: { rule: string; body: unknown; read: BudgetAlert }[] = [
    {
      rule: 'the shared actual-cost sample, its threshold an amount: $25.00 of a $50.00 budget is 50%',
      body: actual,
      read: actualRead,
    },
    {
      rule: 'the docs’ forecasted sample, with its forecast and a null monitorCondition',
      body: forecasted,
      read: {
        schema: 'common',
        budgetName: 'Test_forcasted_budget',
        budgetId:
          '/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Consumption/budgets/Test_forcasted_budget',
        scope: { subscriptionId: '11111111-1111-1111-1111-111111111111' },
        kind: 'forecasted',
        thresholdPercent: 100,
        budgetAmount: 50,
        spent: 999.99,
        forecast: 1111.11,
        currency: 'USD',
        startDate: '2022-11-01',
        firedAt: '2022-12-07T21:13:29.576Z',
      },
    },
    {
      rule: 'the docs’ older-schema sample: a resource group, a US date with time, "8000.0" of "10000" is 80%',
      body: legacy,
      read: {
        schema: 'legacy',
        budgetName: 'test-budgetName',
        scope: { subscriptionId: '11111111-1111-1111-1111-111111111111', resourceGroup: 'test-RG' },
        kind: 'actual',
        thresholdPercent: 80,
        budgetAmount: 10000,
        spent: 1111.32,
        currency: 'USD',
        startDate: '2021-11-17',
      },
    },
    {
      rule: 'the budget scenario’s older-schema sample: an empty resource group, a ratio of 0.8 is 80%',
      body: scenarioLegacy,
      read: {
        schema: 'legacy',
        budgetName: 'BudgetName',
        scope: { subscriptionId: '6f1f2b8c-3d4e-4a5b-9c7d-0e1f2a3b4c5d' },
        kind: 'actual',
        thresholdPercent: 80,
        budgetAmount: 50,
        spent: 100,
        currency: 'USD',
        startDate: '2018-06-01',
      },
    },
  ];
  for (const p of published) {
    it(`reads ${p.rule}`, () => {
      assert.deepEqual(valueOf(parseBudgetAlert(p.body)), p.read);
    });
  }
});

describe('telling budget alerts from other alerts', () => {
  const others: { rule: string; body: unknown }[] = [
    { rule: 'a metric alert', body: fixture('monitor-alert-metric-static-fired.json') },
    { rule: 'a log search alert', body: fixture('monitor-alert-log-v2-fired.json') },
    { rule: 'a null body', body: null },
    { rule: 'an array', body: [actual] },
    { rule: 'a string', body: JSON.stringify(actual) },
    { rule: 'a budget alert’s body without its schemaId', body: edit(actual, { schemaId: undefined }) },
    {
      rule: 'the common schema from another monitoring service, without a budget category',
      body: edit(actual, {
        'data.essentials.monitoringService': 'Platform',
        'data.alertContext.AlertCategory': undefined,
      }),
    },
  ];
  for (const o of others) {
    it(`leaves ${o.rule} to the ordinary alert path`, () => {
      assert.equal(parseBudgetAlert(o.body), undefined);
    });
  }

  it('takes the budgets category, in any case, as a budget alert whatever the monitoring service', () => {
    const body = edit(actual, {
      'data.essentials.monitoringService': 'Cost Management',
      'data.alertContext.AlertCategory': 'Budgets',
    });
    assert.deepEqual(valueOf(parseBudgetAlert(body)), actualRead);
  });

  it('takes monitoringService CostAlerts as a budget alert without a category', () => {
    const body = edit(actual, { 'data.alertContext.AlertCategory': undefined });
    assert.deepEqual(valueOf(parseBudgetAlert(body)), actualRead);
  });
});

describe('what budget alerts may add or leave out', () => {
  it('accepts fields Azure may add, anywhere', () => {
    const body = edit(actual, {
      'data.alertContext.AlertData.TimeGrain': 'Monthly',
      'data.alertContext.AlertData.ResetPeriod': { next: '2025-05-01' },
      'data.essentials.newField': 1,
      'data.customProperties': { team: 'web' },
      extra: true,
    });
    assert.deepEqual(valueOf(parseBudgetAlert(body)), actualRead);
  });

  it('reads an alert without id, scope, unit, start date or essentials, leaving them undefined', () => {
    const body = edit(
      actualWith({ BudgetId: undefined, Scope: null, Unit: '', BudgetStartDate: undefined }),
      {
        'data.essentials': undefined,
      },
    );
    const expected: Partial<BudgetAlert> = { ...actualRead };
    for (const field of ['budgetId', 'scope', 'currency', 'startDate', 'firedAt'])
      Reflect.deleteProperty(expected, field);
    assert.deepEqual(valueOf(parseBudgetAlert(body)), expected);
  });

  it('reads a scope of a resource group', () => {
    const body = actualWith({
      Scope: '/subscriptions/AAAA0A0A-BB1B-CC2C-DD3D-EEEEEE4E4E4E/resourceGroups/web-RG',
    });
    assert.deepEqual(valueOf(parseBudgetAlert(body)).scope, {
      subscriptionId: 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e',
      resourceGroup: 'web-RG',
    });
  });

  it('gives no scope for a budget on a billing account, which names no subscription', () => {
    const body = actualWith({ Scope: '/providers/Microsoft.Billing/billingAccounts/12345678' });
    assert.equal(valueOf(parseBudgetAlert(body)).scope, undefined);
  });

  it('reads amounts sent as JSON numbers', () => {
    const body = actualWith({ BudgetThreshold: 50, NotificationThresholdAmount: 25, SpentAmount: 11111 });
    assert.deepEqual(valueOf(parseBudgetAlert(body)), { ...actualRead, thresholdPercent: 50 });
  });

  it('reads the ThresholdType in any case', () => {
    assert.equal(valueOf(parseBudgetAlert(actualWith({ ThresholdType: 'FORECASTED' }))).kind, 'forecasted');
  });

  it('reads an ISO date-time start date of the older schema as its date', () => {
    const body = legacyWith({ BudgetStartDate: '2023-01-20T23:49:40.216Z' });
    assert.equal(valueOf(parseBudgetAlert(body)).startDate, '2023-01-20');
  });
});

describe('amounts in every currency and locale', () => {
  // The budget, its spending and threshold in one format, without a Unit: the signs say the currency.
  const formats: { text: string; amount: number; currency?: string }[] = [
    { text: '$11,111.00', amount: 11111 },
    { text: '11111', amount: 11111 },
    { text: '€1.234,56', amount: 1234.56, currency: 'EUR' },
    { text: '1.234,56 €', amount: 1234.56, currency: 'EUR' },
    { text: '1 234,56 €', amount: 1234.56, currency: 'EUR' },
    { text: '1\u00a0234,56\u00a0€', amount: 1234.56, currency: 'EUR' },
    { text: '1\u202f234,56\u202f€', amount: 1234.56, currency: 'EUR' },
    { text: 'EUR 1,234.56', amount: 1234.56, currency: 'EUR' },
    { text: "CHF 1'234.50", amount: 1234.5, currency: 'CHF' },
    { text: '¥1,000', amount: 1000 },
    { text: '₹1,23,456.00', amount: 123456, currency: 'INR' },
    { text: '£0.80', amount: 0.8, currency: 'GBP' },
  ];
  for (const f of formats) {
    it(`reads ${JSON.stringify(f.text)} as ${f.amount}${f.currency ? ` ${f.currency}` : ', currency unknown'}`, () => {
      const body = actualWith({
        BudgetThreshold: f.text,
        SpentAmount: f.text,
        NotificationThresholdAmount: '80%',
        Unit: undefined,
      });
      const read = valueOf(parseBudgetAlert(body));
      assert.deepEqual(
        { budgetAmount: read.budgetAmount, spent: read.spent, currency: read.currency },
        { budgetAmount: f.amount, spent: f.amount, currency: f.currency },
      );
    });
  }

  it('takes the Unit over a sign that names no one currency', () => {
    const read = valueOf(parseBudgetAlert(actualWith({ Unit: 'cad' })));
    assert.equal(read.currency, 'CAD');
  });

  it('reads a spending below nothing, as credits make it', () => {
    assert.equal(valueOf(parseBudgetAlert(actualWith({ SpentAmount: '-$5.00' }))).spent, -5);
    assert.equal(valueOf(parseBudgetAlert(actualWith({ SpentAmount: '($5.00)' }))).spent, -5);
  });
});

describe('thresholds as percentages, ratios and amounts', () => {
  const rows: { rule: string; budget: string; threshold: string | number; percent: number }[] = [
    { rule: 'a percentage', budget: '$50.00', threshold: '80%', percent: 80 },
    { rule: 'a percentage with a space', budget: '$50.00', threshold: '80 %', percent: 80 },
    { rule: 'a percentage with a decimal comma', budget: '$50.00', threshold: '80,5 %', percent: 80.5 },
    { rule: 'a percentage over the budget', budget: '$50.00', threshold: '120%', percent: 120 },
    { rule: 'a ratio', budget: '$50.00', threshold: '0.8', percent: 80 },
    { rule: 'a ratio of one', budget: '$50.00', threshold: '1', percent: 100 },
    { rule: 'a ratio of ten, the largest Azure allows', budget: '$50.00', threshold: '10', percent: 1000 },
    { rule: 'a JSON number ratio', budget: '$50.00', threshold: 0.9, percent: 90 },
    { rule: 'an amount with a sign', budget: '$50.00', threshold: '$40.00', percent: 80 },
    { rule: 'an amount with a code, however small', budget: '50 EUR', threshold: 'EUR 5', percent: 10 },
    { rule: 'a bare number above ten, as an amount', budget: '$50.00', threshold: '40', percent: 80 },
    { rule: 'an amount over the budget', budget: '10000', threshold: '12000.0', percent: 120 },
    {
      rule: 'an amount rounded to 2 decimals of percent',
      budget: '$300.00',
      threshold: '$100.00',
      percent: 33.33,
    },
    { rule: 'a European amount', budget: '1.000,00 €', threshold: '800,00 €', percent: 80 },
  ];
  for (const r of rows) {
    it(`reads ${r.rule}: ${JSON.stringify(r.threshold)} of ${r.budget} is ${r.percent}%`, () => {
      const body = actualWith({
        BudgetThreshold: r.budget,
        NotificationThresholdAmount: r.threshold,
        Unit: undefined,
      });
      assert.equal(valueOf(parseBudgetAlert(body)).thresholdPercent, r.percent);
    });
  }
});

describe('malformed budget alerts', () => {
  const parse = (body: unknown): ParseResult<unknown> => {
    const result = parseBudgetAlert(body);
    assert.ok(result, 'expected it to be taken as a budget alert');
    return result;
  };
  const refused: Refusal[] = [
    {
      rule: 'a budget amount that is no number',
      payload: actualWith({ BudgetThreshold: 'fifty dollars' }),
      paths: [`${alertData}.BudgetThreshold`],
      message: /^expected one amount such as "\$1,234\.56".*got "fifty dollars"$/,
    },
    {
      rule: 'a budget amount of 0',
      payload: actualWith({ BudgetThreshold: '$0.00' }),
      paths: [`${alertData}.BudgetThreshold`],
      message: /^must be above 0/,
    },
    {
      rule: 'a threshold that is no number',
      payload: actualWith({ NotificationThresholdAmount: 'lots' }),
      paths: [`${alertData}.NotificationThresholdAmount`],
      message: /percentage \("80%"\), a ratio \("0\.8"\) or an amount \("\$40\.00"\); got "lots"/,
    },
    {
      rule: 'a threshold of 0%',
      payload: actualWith({ NotificationThresholdAmount: '0%' }),
      paths: [`${alertData}.NotificationThresholdAmount`],
      message: /^must be above 0/,
    },
    {
      rule: 'a percentage with a currency',
      payload: actualWith({ NotificationThresholdAmount: '$80%' }),
      paths: [`${alertData}.NotificationThresholdAmount`],
    },
    {
      rule: 'two numbers as spending',
      payload: actualWith({ SpentAmount: '$5 $10' }),
      paths: [`${alertData}.SpentAmount`],
    },
    {
      rule: 'a forecast that is no number',
      payload: actualWith({ ForecastedTotalForPeriod: 'soon' }),
      paths: [`${alertData}.ForecastedTotalForPeriod`],
    },
    {
      rule: 'a missing budget name',
      payload: actualWith({ BudgetName: undefined }),
      paths: [`${alertData}.BudgetName`],
      message: /^is required$/,
    },
    {
      rule: 'an empty budget name',
      payload: actualWith({ BudgetName: '' }),
      paths: [`${alertData}.BudgetName`],
    },
    {
      rule: 'an unknown ThresholdType',
      payload: actualWith({ ThresholdType: 'Estimated' }),
      paths: [`${alertData}.ThresholdType`],
      message: /^expected "Actual" or "Forecasted"$/,
    },
    {
      rule: 'a missing ThresholdType in the common schema',
      payload: actualWith({ ThresholdType: undefined }),
      paths: [`${alertData}.ThresholdType`],
    },
    {
      rule: 'a start date that is no date',
      payload: actualWith({ BudgetStartDate: '2022-02-30' }),
      paths: [`${alertData}.BudgetStartDate`],
      message: /^expected a date such as "2025-06-01" or "6\/1\/2025"/,
    },
    {
      rule: 'a subscription scope whose id is no GUID',
      payload: actualWith({ Scope: '/subscriptions/my-subscription/' }),
      paths: [`${alertData}.Scope`],
    },
    {
      rule: 'a Unit that is no currency code',
      payload: actualWith({ Unit: 'dollars' }),
      paths: [`${alertData}.Unit`],
    },
    {
      rule: 'an amount in another currency than the Unit',
      payload: actualWith({ SpentAmount: '€11.111,00' }),
      paths: [`${alertData}.SpentAmount`],
      message: /^is in EUR, but Unit says USD$/,
    },
    {
      rule: 'amounts in two currencies without a Unit',
      payload: actualWith({ Unit: undefined, BudgetThreshold: '€50', SpentAmount: '£20' }),
      paths: [`${alertData}.SpentAmount`],
      message: /^is in GBP, but another amount is in EUR$/,
    },
    {
      rule: 'a fired time that is no date-time',
      payload: edit(actual, { 'data.essentials.firedDateTime': 'yesterday' }),
      paths: ['data.essentials.firedDateTime'],
    },
    {
      rule: 'a missing AlertData',
      payload: edit(actual, { 'data.alertContext.AlertData': undefined }),
      paths: [alertData],
      message: /^is required$/,
    },
    {
      rule: 'amounts of the wrong type',
      payload: actualWith({ BudgetThreshold: true, SpentAmount: {} }),
      paths: [`${alertData}.BudgetThreshold`, `${alertData}.SpentAmount`],
      message: /^expected a string or a number$/,
    },
    {
      rule: 'several problems, all at once',
      payload: actualWith({
        BudgetName: '',
        BudgetThreshold: 'x',
        NotificationThresholdAmount: 'y',
        ThresholdType: 'z',
      }),
      paths: ['BudgetName', 'BudgetThreshold', 'NotificationThresholdAmount', 'ThresholdType'].map(
        (f) => `${alertData}.${f}`,
      ),
    },
    {
      rule: 'an older-schema budget of 0',
      payload: legacyWith({ Budget: '0' }),
      paths: ['data.Budget'],
      message: /^must be above 0/,
    },
    {
      rule: 'an older-schema subscription id that is no GUID',
      payload: legacyWith({ SubscriptionId: 'sub' }),
      paths: ['data.SubscriptionId'],
    },
    {
      rule: 'an older-schema body without data',
      payload: { schemaId: 'AIP Budget Notification' },
      paths: ['data'],
      message: /^is required$/,
    },
    {
      rule: 'an older-schema body whose data is no object',
      payload: { schemaId: 'AIP Budget Notification', data: 'BudgetName=x' },
      paths: ['data'],
      message: /^expected an object$/,
    },
    {
      rule: 'an older-schema alert missing its name, amounts and threshold, all at once',
      payload: legacyWith({
        BudgetName: undefined,
        Budget: undefined,
        SpendingAmount: undefined,
        NotificationThresholdAmount: undefined,
      }),
      paths: ['data.BudgetName', 'data.Budget', 'data.SpendingAmount', 'data.NotificationThresholdAmount'],
      message: /^is required$/,
    },
    {
      rule: 'an older-schema threshold that is no number',
      payload: legacyWith({ NotificationThresholdAmount: '80 percent' }),
      paths: ['data.NotificationThresholdAmount'],
    },
  ];
  itRefuses(parse, refused);
});
