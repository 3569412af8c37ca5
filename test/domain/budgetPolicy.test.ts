import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BudgetSettings, EnvironmentSettings } from '../../src/config';
import type { BudgetAlert } from '../../src/domain/budgetAlert';
import {
  decideBudgetAlert,
  isProductionEnvironment,
  type BudgetDecision,
} from '../../src/domain/budgetPolicy';

const subscription = 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e';
const otherSubscription = '6f1f2b8c-3d4e-4a5b-9c7d-0e1f2a3b4c5d';

/** A budget entry as the targets file gives it, with the common practice's thresholds. */
function budget(settings: Partial<BudgetSettings> = {}): BudgetSettings {
  return {
    name: 'web-monthly',
    environments: ['staging', 'production'],
    period: 'monthly',
    thresholds: [
      { percent: 50, kind: 'actual', action: 'notify' },
      { percent: 80, kind: 'actual', action: 'notify' },
      { percent: 100, kind: 'forecasted', action: 'notify' },
      { percent: 100, kind: 'actual', action: 'freeze' },
    ],
    notifications: { webhooks: [] },
    ...settings,
  };
}

function alert(fields: Partial<BudgetAlert> = {}): BudgetAlert {
  return {
    schema: 'common',
    budgetName: 'web-monthly',
    scope: { subscriptionId: subscription },
    kind: 'actual',
    thresholdPercent: 80,
    budgetAmount: 1000,
    spent: 812.5,
    currency: 'USD',
    startDate: '2025-01-01',
    firedAt: '2025-04-15T17:53:32.996Z',
    ...fields,
  };
}

const now = new Date('2025-04-15T17:53:32.996Z');

function acted(decision: BudgetDecision): Extract<BudgetDecision, { act: true }> {
  if (!decision.act) assert.fail(`expected it to act, got: ${decision.reason}`);
  return decision;
}

describe('what a budget threshold does', () => {
  const rows: {
    rule: string;
    budget?: Partial<BudgetSettings>;
    alert: Partial<BudgetAlert>;
    threshold: { percent: number; kind: 'actual' | 'forecasted' };
    freeze: boolean;
    stop: boolean;
  }[] = [
    {
      rule: 'half the budget spent notifies',
      alert: { thresholdPercent: 50 },
      threshold: { percent: 50, kind: 'actual' },
      freeze: false,
      stop: false,
    },
    {
      rule: 'an alert between thresholds takes the highest at or below it: 90% with 50/80/100 is the 80 one',
      alert: { thresholdPercent: 90 },
      threshold: { percent: 80, kind: 'actual' },
      freeze: false,
      stop: false,
    },
    {
      rule: 'an alert exactly at a threshold takes it',
      alert: { thresholdPercent: 80 },
      threshold: { percent: 80, kind: 'actual' },
      freeze: false,
      stop: false,
    },
    {
      rule: 'an alert a hundredth below a threshold takes the one under it',
      alert: { thresholdPercent: 79.99 },
      threshold: { percent: 50, kind: 'actual' },
      freeze: false,
      stop: false,
    },
    {
      rule: 'a percent is rounded to 2 decimals first: 79.996 reaches 80',
      alert: { thresholdPercent: 79.996 },
      threshold: { percent: 80, kind: 'actual' },
      freeze: false,
      stop: false,
    },
    {
      rule: 'the budget spent freezes',
      alert: { thresholdPercent: 100 },
      threshold: { percent: 100, kind: 'actual' },
      freeze: true,
      stop: false,
    },
    {
      rule: 'a forecast of the budget spent only notifies',
      alert: { kind: 'forecasted', thresholdPercent: 100, forecast: 1200 },
      threshold: { percent: 100, kind: 'forecasted' },
      freeze: false,
      stop: false,
    },
    {
      rule: 'far over the budget without a critical threshold freezes, and stops nothing',
      alert: { thresholdPercent: 500 },
      threshold: { percent: 100, kind: 'actual' },
      freeze: true,
      stop: false,
    },
    {
      rule: 'the critical threshold reached freezes and stops the non-production apps',
      budget: { critical: { percent: 120, kind: 'actual' } },
      alert: { thresholdPercent: 120 },
      threshold: { percent: 120, kind: 'actual' },
      freeze: true,
      stop: true,
    },
    {
      rule: 'just under the critical threshold stops nothing',
      budget: { critical: { percent: 120, kind: 'actual' } },
      alert: { thresholdPercent: 119.99 },
      threshold: { percent: 100, kind: 'actual' },
      freeze: true,
      stop: false,
    },
    {
      rule: 'a forecasted critical threshold is not reached by actual spending',
      budget: { critical: { percent: 120, kind: 'forecasted' } },
      alert: { thresholdPercent: 150 },
      threshold: { percent: 100, kind: 'actual' },
      freeze: true,
      stop: false,
    },
    {
      rule: 'the critical threshold acts even above every ordinary threshold of its kind',
      budget: {
        thresholds: [{ percent: 200, kind: 'actual', action: 'notify' }],
        critical: { percent: 110, kind: 'actual' },
      },
      alert: { thresholdPercent: 110 },
      threshold: { percent: 110, kind: 'actual' },
      freeze: true,
      stop: true,
    },
    {
      rule: 'a freeze and a notice at one percent freeze',
      budget: {
        thresholds: [
          { percent: 90, kind: 'actual', action: 'freeze' },
          { percent: 90, kind: 'actual', action: 'notify' },
        ],
      },
      alert: { thresholdPercent: 95 },
      threshold: { percent: 90, kind: 'actual' },
      freeze: true,
      stop: false,
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      const decision = acted(decideBudgetAlert([budget(r.budget)], alert(r.alert), now));
      assert.deepEqual(decision.threshold, r.threshold);
      assert.deepEqual(decision.actions, { notify: true, freeze: r.freeze, stopNonProduction: r.stop });
    });
  }

  const idle: {
    rule: string;
    budget?: Partial<BudgetSettings>;
    alert: Partial<BudgetAlert>;
    reason: RegExp;
  }[] = [
    {
      rule: 'below the lowest threshold nothing is done',
      alert: { thresholdPercent: 40 },
      reason: /^below the lowest actual threshold \(50%\): the alert at 40% does nothing$/,
    },
    {
      rule: 'a forecast below the lowest forecasted threshold does nothing',
      alert: { kind: 'forecasted', thresholdPercent: 80 },
      reason: /^below the lowest forecasted threshold \(100%\)/,
    },
    {
      rule: 'a budget without thresholds of the alert’s kind does nothing',
      budget: { thresholds: [{ percent: 50, kind: 'actual', action: 'notify' }] },
      alert: { kind: 'forecasted', thresholdPercent: 100 },
      reason: /^the budget has no forecasted thresholds/,
    },
  ];
  for (const r of idle) {
    it(r.rule, () => {
      const entry = budget(r.budget);
      const decision = decideBudgetAlert([entry], alert(r.alert), now);
      assert.equal(decision.act, false);
      assert.match(decision.reason, r.reason);
      assert.equal(decision.budget, entry, 'names the budget, for the audit trail');
    });
  }
});

describe('which budget entry an alert belongs to', () => {
  const named = budget({ name: 'Web-Monthly', environments: ['named'] });
  const wholeSubscription = budget({
    name: undefined,
    scope: { subscriptionId: subscription },
    environments: ['sub'],
  });
  const resourceGroup = budget({
    name: undefined,
    scope: { subscriptionId: subscription, resourceGroup: 'web-rg' },
    environments: ['rg'],
  });
  const rows: { rule: string; budgets: BudgetSettings[]; alert: Partial<BudgetAlert>; chosen?: string }[] = [
    {
      rule: 'its name, without case',
      budgets: [named],
      alert: { budgetName: 'web-monthly' },
      chosen: 'named',
    },
    {
      rule: 'its name, before any scope that covers it',
      budgets: [wholeSubscription, resourceGroup, named],
      alert: { scope: { subscriptionId: subscription, resourceGroup: 'web-rg' } },
      chosen: 'named',
    },
    {
      rule: 'its name and scope, when the entry names both',
      budgets: [budget({ scope: { subscriptionId: subscription }, environments: ['both'] })],
      alert: {},
      chosen: 'both',
    },
    {
      rule: 'its name when the alert names no scope',
      budgets: [budget({ scope: { subscriptionId: subscription }, environments: ['both'] })],
      alert: { scope: undefined },
      chosen: 'both',
    },
    {
      rule: 'not a named entry of another subscription, though the name is the same',
      budgets: [
        budget({ scope: { subscriptionId: otherSubscription }, environments: ['other'] }),
        wholeSubscription,
      ],
      alert: {},
      chosen: 'sub',
    },
    {
      rule: 'a resource group entry before its subscription’s, whatever their order',
      budgets: [wholeSubscription, resourceGroup],
      alert: { budgetName: 'rg-budget', scope: { subscriptionId: subscription, resourceGroup: 'Web-RG' } },
      chosen: 'rg',
    },
    {
      rule: 'the subscription’s entry for a budget of another resource group',
      budgets: [resourceGroup, wholeSubscription],
      alert: { budgetName: 'data', scope: { subscriptionId: subscription, resourceGroup: 'data-rg' } },
      chosen: 'sub',
    },
    {
      rule: 'no resource group entry for a budget on the whole subscription',
      budgets: [resourceGroup],
      alert: { budgetName: 'all' },
    },
    {
      rule: 'no entry of another subscription',
      budgets: [wholeSubscription],
      alert: { budgetName: 'all', scope: { subscriptionId: otherSubscription } },
    },
    {
      rule: 'no entry named for another budget, though its scope covers the alert',
      budgets: [budget({ name: 'data', scope: { subscriptionId: subscription } })],
      alert: {},
    },
    {
      rule: 'no scope entry when the alert names no scope',
      budgets: [wholeSubscription],
      alert: { budgetName: 'x', scope: undefined },
    },
  ];
  for (const r of rows) {
    it(`${r.chosen ? 'is' : 'finds'} ${r.rule}`, () => {
      const decision = decideBudgetAlert(r.budgets, alert({ thresholdPercent: 100, ...r.alert }), now);
      if (r.chosen) assert.deepEqual(acted(decision).budget.environments, [r.chosen]);
      else assert.equal(decision.act, false);
    });
  }

  it('says how to add a budget it does not know', () => {
    const decision = decideBudgetAlert([], alert({ budgetName: 'Data-Monthly' }), now);
    assert.deepEqual(decision, {
      act: false,
      reason:
        `budget "Data-Monthly", scope subscription ${subscription} is in no entry of the targets file's budgets: ` +
        'add { "name": "Data-Monthly", "environments": [...] } (or an entry with its scope) to act on it',
    });
  });
});

describe('the budget period an alert acts in', () => {
  const rows: {
    rule: string;
    budget?: Partial<BudgetSettings>;
    alert: Partial<BudgetAlert>;
    at: string;
    period: [string, string];
  }[] = [
    {
      rule: 'counted from the alert’s start date',
      budget: { startDate: '2024-03-15' },
      alert: { startDate: '2022-11-01' },
      at: '2025-04-15T17:53:32Z',
      period: ['2025-04-01', '2025-05-01'],
    },
    {
      rule: 'from the entry’s start date when the alert has none',
      budget: { startDate: '2025-01-15', period: 'quarterly' },
      alert: { startDate: undefined },
      at: '2025-05-20T00:00:00Z',
      period: ['2025-04-15', '2025-07-15'],
    },
    {
      rule: 'from the first of the month when neither has one',
      alert: { startDate: undefined },
      at: '2025-04-15T17:53:32Z',
      period: ['2025-04-01', '2025-05-01'],
    },
    {
      rule: 'from the first of the calendar quarter for a quarterly budget without a start date',
      budget: { period: 'quarterly' },
      alert: { startDate: undefined },
      at: '2025-05-20T00:00:00Z',
      period: ['2025-04-01', '2025-07-01'],
    },
    {
      rule: 'from the first of the year for an annual budget without a start date',
      budget: { period: 'annually' },
      alert: { startDate: undefined },
      at: '2025-05-20T00:00:00Z',
      period: ['2025-01-01', '2026-01-01'],
    },
  ];
  for (const r of rows) {
    it(`is ${r.rule}`, () => {
      const decision = acted(decideBudgetAlert([budget(r.budget)], alert(r.alert), new Date(r.at)));
      assert.deepEqual(decision.period, {
        start: `${r.period[0]}T00:00:00.000Z`,
        end: `${r.period[1]}T00:00:00.000Z`,
      });
    });
  }
});

describe('the key that makes a re-sent alert act once', () => {
  const keyOf = (fields: Partial<BudgetAlert>, at = now, budgets = [budget()]): string =>
    acted(decideBudgetAlert(budgets, alert(fields), at)).key;

  it('names the budget, its scope, the kind, the alert’s threshold and the period start', () => {
    assert.match(keyOf({}), /^budget:web-monthly:[0-9a-f]{8}:actual:80:2025-04-01$/);
    assert.match(keyOf({ scope: undefined }), /^budget:web-monthly:any:actual:80:2025-04-01$/);
  });

  it('is the same for the same alert re-sent later in the period, with more spent', () => {
    assert.equal(keyOf({ spent: 950 }, new Date('2025-04-28T06:00:00Z')), keyOf({}));
  });

  it('is the same whatever the case of the budget name and resource group', () => {
    const scope = { subscriptionId: subscription, resourceGroup: 'Web-RG' };
    assert.equal(
      keyOf({ budgetName: 'WEB-Monthly', scope }),
      keyOf({ budgetName: 'web-monthly', scope: { ...scope, resourceGroup: 'web-rg' } }),
    );
  });

  const differences: { rule: string; fields: Partial<BudgetAlert>; at?: Date }[] = [
    {
      rule: 'another threshold of the same action (Azure’s 80% and 90% alerts are two)',
      fields: { thresholdPercent: 90 },
    },
    { rule: 'another kind', fields: { kind: 'forecasted', thresholdPercent: 100 } },
    { rule: 'the next period', fields: {}, at: new Date('2025-05-02T00:00:00Z') },
    {
      rule: 'another subscription’s budget of the same name',
      fields: { scope: { subscriptionId: otherSubscription } },
    },
    {
      rule: 'another resource group’s budget of the same name',
      fields: { scope: { subscriptionId: subscription, resourceGroup: 'data-rg' } },
    },
  ];
  for (const d of differences) {
    it(`differs for ${d.rule}`, () => {
      const budgets = [budget({ name: undefined, scope: { subscriptionId: subscription } }), budget()];
      assert.notEqual(keyOf(d.fields, d.at, budgets), keyOf({}, now, budgets));
    });
  }

  it('escapes what an instance id may not hold and stays within 90 characters', () => {
    const names = ['Budget für Web/Prod #1', 'a.b:c', 'x'.repeat(63), 'ü'.repeat(63)];
    const keys = names.map((budgetName) =>
      keyOf({ budgetName, thresholdPercent: 66.67 }, now, [budget({ name: budgetName })]),
    );
    for (const key of keys) {
      assert.match(key, /^[A-Za-z0-9_:.-]+$/);
      assert.ok(key.length <= 90, `${key} has ${key.length} characters`);
    }
    assert.match(keys[0] ?? '', /^budget:budget.20f.c3.bcr.20web.2fprod.20.231:/);
    assert.equal(new Set(keys).size, keys.length, 'different names, different keys');
  });

  it('tells apart long names that share their first characters', () => {
    const long = 'x'.repeat(50);
    const keys = [`${long}-a`, `${long}-b`].map((budgetName) =>
      keyOf({ budgetName }, now, [budget({ name: budgetName })]),
    );
    assert.notEqual(keys[0], keys[1]);
  });
});

describe('which environments are production', () => {
  const described: EnvironmentSettings[] = [
    { name: 'prod-sandbox', production: false, notifications: { webhooks: [] } },
    { name: 'qa-gate', production: true, notifications: { webhooks: [] } },
    { name: 'eu-dev', notifications: { webhooks: [] } },
  ];
  const rows: { name: string; production: boolean; rule: string }[] = [
    { name: 'prod-sandbox', production: false, rule: 'its entry says not, whatever its name' },
    { name: 'qa-gate', production: true, rule: 'its entry says so, whatever its name' },
    { name: 'eu-dev', production: false, rule: 'an entry without `production` leaves it to the name' },
    ...[
      'dev',
      'development',
      'test',
      'testing',
      'qa',
      'staging',
      'stage',
      'uat',
      'sandbox',
      'preview',
      'demo',
      'int',
      'integration',
    ].map((name) => ({ name, production: false, rule: 'a usual non-production name' })),
    { name: 'Staging', production: false, rule: 'a usual name in any case' },
    { name: 'dev-eu', production: false, rule: 'a usual name as a prefix' },
    { name: 'westeurope-qa', production: false, rule: 'a usual name as a suffix' },
    { name: 'production', production: true, rule: 'production' },
    { name: 'prod', production: true, rule: 'prod' },
    { name: 'live', production: true, rule: 'live' },
    { name: 'web', production: true, rule: 'an unknown name' },
    { name: 'eu-west', production: true, rule: 'an unknown name with a dash' },
    { name: 'prod-test', production: true, rule: 'a name with a production part beside a usual one' },
    { name: 'pre-prod', production: true, rule: 'pre-prod, whose part names production' },
    { name: 'devops', production: true, rule: 'a usual name inside a word' },
    { name: 'staging2', production: true, rule: 'a usual name with more letters' },
    { name: 'eu-dev-west', production: true, rule: 'a usual name in the middle' },
    { name: 'dev_eu', production: true, rule: 'a usual name joined by an underscore' },
  ];
  for (const r of rows) {
    it(`takes "${r.name}" as ${r.production ? 'production' : 'non-production'}: ${r.rule}`, () => {
      assert.equal(isProductionEnvironment(r.name, described), r.production);
    });
  }
});
