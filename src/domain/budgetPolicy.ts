import { createHash } from 'node:crypto';
import type { BudgetKind, BudgetSettings, BudgetThreshold, EnvironmentSettings } from '../config';
import type { BudgetAlert } from './budgetAlert';
import { budgetPeriodAt, monthsIn } from './budgetPeriod';

/** What Shepherd does about a budget alert: it always tells people; it may freeze and stop too. */
export interface BudgetActions {
  notify: true;
  /** Freeze releases to the budget's environments until the period resets. */
  freeze: boolean;
  /** Stop the non-production apps of the budget's environments (never a production one). */
  stopNonProduction: boolean;
}

/** What to do about one budget alert, and why not when nothing. */
export type BudgetDecision =
  | { act: false; reason: string; budget?: BudgetSettings }
  | {
      act: true;
      budget: BudgetSettings;
      /** The configured threshold that decided the actions: the critical one when it is reached. */
      threshold: { percent: number; kind: BudgetKind };
      actions: BudgetActions;
      /** The budget period the alert belongs to; a freeze lifts at its `end`. */
      period: { start: string; end: string };
      /**
       * Same budget, threshold, kind and period → same key; safe as (part of) a durable instance id
       * (letters, digits, '-', '_', ':' and '.' only; budget name lower-cased and escaped), at most 90
       * characters. The threshold in it is the alert's own, so Azure's 80% and 90% alerts are two.
       */
      key: string;
    };

/**
 * Decides what a budget alert does.
 *
 * The budget: an entry of the targets file's `budgets` named as the alert's budget (without case)
 * wins, unless its scope names another subscription or resource group than the alert's; otherwise an
 * entry without a name whose scope covers the alert's, a resource group before a whole subscription.
 * None: nothing is done, and the reason says what to add.
 *
 * The threshold: the alert's percent (to 2 decimals) against the entry's thresholds of the same kind:
 * the highest at or below it decides (an alert at 90% with 50/80/100 takes the 80 one); below every
 * one, nothing is done (the caller still records it). The critical threshold, when set, of the same
 * kind and reached, freezes and stops the non-production apps too.
 *
 * The period: counted from the alert's start date, else the entry's `startDate`, else from the first
 * of the month of `now` (monthly), of its calendar quarter (quarterly) or of its year (annually): Azure
 * starts budgets on the first of a month, and a start that does not move between alerts of one period
 * keeps their keys equal; set `startDate` for a quarterly or annual budget that started otherwise. `now` is
 * when the alert is acted on: the caller passes the alert's `firedAt` when it has one, so a late
 * delivery still falls in the period the alert fired in.
 */
export function decideBudgetAlert(budgets: BudgetSettings[], alert: BudgetAlert, now: Date): BudgetDecision {
  const budget = budgetFor(budgets, alert);
  if (!budget) return { act: false, reason: noBudgetReason(alert) };
  const percent = Math.round(alert.thresholdPercent * 100) / 100;
  const reached = budget.thresholds
    .filter((t) => t.kind === alert.kind && t.percent <= percent)
    .sort((a, b) => a.percent - b.percent || rank(a) - rank(b))
    .at(-1);
  const critical =
    budget.critical?.kind === alert.kind && budget.critical.percent <= percent ? budget.critical : undefined;
  const decidedBy = critical ?? reached;
  if (!decidedBy) return { act: false, reason: belowReason(budget, alert, percent), budget };
  const period = budgetPeriodAt(
    alert.startDate ?? budget.startDate ?? assumedStart(budget.period, now),
    budget.period,
    now,
  );
  return {
    act: true,
    budget,
    threshold: { percent: decidedBy.percent, kind: decidedBy.kind },
    actions: {
      notify: true,
      freeze: critical !== undefined || reached?.action === 'freeze',
      stopNonProduction: critical !== undefined,
    },
    period,
    key: budgetKey(alert, percent, period.start),
  };
}

/** `freeze` ranks above `notify` when both are set at one percent. */
const rank = (threshold: BudgetThreshold): number => (threshold.action === 'freeze' ? 1 : 0);

function budgetFor(budgets: BudgetSettings[], alert: BudgetAlert): BudgetSettings | undefined {
  const name = alert.budgetName.toLowerCase();
  const named = budgets.find(
    (b) => b.name?.toLowerCase() === name && (!b.scope || !alert.scope || covers(b.scope, alert.scope)),
  );
  if (named) return named;
  const byScope = budgets.filter((b) => !b.name && b.scope && alert.scope && covers(b.scope, alert.scope));
  return byScope.find((b) => b.scope?.resourceGroup !== undefined) ?? byScope[0];
}

function covers(
  entry: NonNullable<BudgetSettings['scope']>,
  scope: NonNullable<BudgetAlert['scope']>,
): boolean {
  if (entry.subscriptionId.toLowerCase() !== scope.subscriptionId.toLowerCase()) return false;
  return (
    entry.resourceGroup === undefined ||
    entry.resourceGroup.toLowerCase() === scope.resourceGroup?.toLowerCase()
  );
}

function noBudgetReason(alert: BudgetAlert): string {
  const scope = alert.scope
    ? `, scope ${alert.scope.resourceGroup ? `resource group ${alert.scope.resourceGroup} of ` : ''}subscription ${alert.scope.subscriptionId}`
    : '';
  return (
    `budget "${alert.budgetName}"${scope} is in no entry of the targets file's budgets: add ` +
    `{ "name": "${alert.budgetName}", "environments": [...] } (or an entry with its scope) to act on it`
  );
}

function belowReason(budget: BudgetSettings, alert: BudgetAlert, percent: number): string {
  const same = budget.thresholds.filter((t) => t.kind === alert.kind).map((t) => t.percent);
  return same.length === 0
    ? `the budget has no ${alert.kind} thresholds; its ${alert.kind} alert at ${percent}% does nothing`
    : `below the lowest ${alert.kind} threshold (${Math.min(...same)}%): the alert at ${percent}% does nothing`;
}

/** The start a budget without a known start date is counted from (see {@link decideBudgetAlert}). */
function assumedStart(period: BudgetSettings['period'], now: Date): string {
  const months = monthsIn[period];
  const month = Math.floor(now.getUTCMonth() / months) * months + 1;
  return `${String(now.getUTCFullYear())}-${String(month).padStart(2, '0')}-01`;
}

/**
 * `budget:NAME:SCOPE:KIND:PERCENT:PERIOD-START`. SCOPE is 8 hex digits of a hash of the subscription
 * and resource group (`any` when the alert names none), since two subscriptions may each have a
 * budget of one name; a name over 40 characters keeps its first 31 and a hash of the rest.
 */
function budgetKey(alert: BudgetAlert, percent: number, periodStart: string): string {
  const escaped = escapeName(alert.budgetName.toLowerCase());
  const name = escaped.length > 40 ? `${escaped.slice(0, 31)}..${hash(escaped)}` : escaped;
  const scope = alert.scope
    ? hash(`${alert.scope.subscriptionId}/${alert.scope.resourceGroup ?? ''}`.toLowerCase())
    : 'any';
  return `budget:${name}:${scope}:${alert.kind}:${percent}:${periodStart.slice(0, 10)}`;
}

/** Every byte of a character other than a letter, digit, '-' or '_' as '.' and two hex digits. */
function escapeName(name: string): string {
  return name.replace(/[^a-z0-9_-]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `.${b.toString(16).padStart(2, '0')}`).join(''),
  );
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

const nonProductionNames = new Set([
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
]);
const productionNames = new Set(['prod', 'production', 'prd', 'live']);

/**
 * Whether an environment serves users, so that a budget's critical threshold never stops its apps: its
 * `environments` entry's `production` when set. Otherwise only the usual names of non-production
 * environments count as non-production (dev, development, test, testing, qa, staging, stage, uat,
 * sandbox, preview, demo, int, integration; without case), also as the first or last part of a name
 * split on '-' (`dev-eu`, `eu-qa`), unless a part names production (`prod`, `production`, `prd`,
 * `live`: `prod-test` is production). Anything else is production: a misnamed production environment
 * must never be stopped.
 */
export function isProductionEnvironment(name: string, environments: EnvironmentSettings[]): boolean {
  const production = environments.find((e) => e.name === name)?.production;
  if (production !== undefined) return production;
  const parts = name.toLowerCase().split('-');
  if (parts.some((part) => productionNames.has(part))) return true;
  return ![parts[0], parts.at(-1)].some((part) => part !== undefined && nonProductionNames.has(part));
}
