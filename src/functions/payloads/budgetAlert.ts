import { z } from 'zod';
import type { BudgetAlert } from '../../domain/budgetAlert';
import type { Money } from '../../domain/money';
import { commonAlertSchemaId } from './commonAlert';
import { requiredString, timestamp } from './fields';
import { parseWith, type ParseResult, type Problem } from './parseResult';
import {
  absentWhenEmpty,
  amount,
  budgetAmount,
  budgetScope,
  currencyCode,
  section,
  startDate,
  subscriptionId,
  threshold,
  thresholdKind,
  type ThresholdReading,
} from './budgetFields';

/** The `schemaId` of the budget alerts Azure sent before the common alert schema. */
export const legacyBudgetSchemaId = 'AIP Budget Notification';

// Only what Shepherd reads is declared; Azure adds fields, and fields not declared pass unread.
const commonBudgetAlert = z.object({
  data: section({
    // The published budget samples send a null monitorCondition; the fired time is all that is read.
    essentials: absentWhenEmpty(section({ firedDateTime: absentWhenEmpty(timestamp) })),
    alertContext: section({
      AlertData: section({
        BudgetName: requiredString,
        BudgetId: absentWhenEmpty(z.string()),
        Scope: absentWhenEmpty(budgetScope),
        ThresholdType: thresholdKind,
        BudgetThreshold: budgetAmount,
        NotificationThresholdAmount: threshold,
        SpentAmount: amount,
        ForecastedTotalForPeriod: absentWhenEmpty(amount),
        Unit: absentWhenEmpty(currencyCode),
        BudgetStartDate: absentWhenEmpty(startDate),
      }),
    }),
  }),
});

const legacyBudgetAlert = z.object({
  data: section({
    BudgetName: requiredString,
    SubscriptionId: absentWhenEmpty(subscriptionId),
    ResourceGroup: absentWhenEmpty(z.string()),
    // The published samples send none: the older schema alerts on actual spending only.
    ThresholdType: absentWhenEmpty(thresholdKind),
    Budget: budgetAmount,
    NotificationThresholdAmount: threshold,
    SpendingAmount: amount,
    Unit: absentWhenEmpty(currencyCode),
    BudgetStartDate: absentWhenEmpty(startDate),
  }),
});

/**
 * Reads an Azure Cost Management budget alert in either shape Azure sends it: the common alert schema
 * (`monitoringService: "CostAlerts"`, `alertContext.AlertCategory: "budgets"`) or the older
 * `schemaId: "AIP Budget Notification"`. `undefined` means the body is no budget alert (the webhook
 * treats it as any other alert). A budget alert that cannot be read gets every problem at once, with
 * its path: an amount or threshold that is no number, a missing budget name, an unknown
 * `ThresholdType`, a budget of 0, amounts in another currency than `Unit`.
 *
 * The threshold crossed (`NotificationThresholdAmount`) comes as a percentage (`"80%"`), a ratio
 * (`"0.8"`, a bare number of at most 10) or an amount (`"$40.00"`, or a bare number above 10), which
 * is divided by the budget's amount: `thresholdPercent` is always percent of the budget.
 */
export function parseBudgetAlert(body: unknown): ParseResult<BudgetAlert> | undefined {
  const shape = budgetAlertShape(body);
  if (shape === undefined) return undefined;
  const parsed = shape === 'legacy' ? parseLegacy(body) : parseCommon(body);
  if (!parsed.ok) return parsed;
  const { alert, currency } = parsed.value;
  return currency.ok ? { ok: true, value: { ...alert, ...currency.value } } : currency;
}

function budgetAlertShape(body: unknown): BudgetAlert['schema'] | undefined {
  if (!isRecord(body)) return undefined;
  if (body.schemaId === legacyBudgetSchemaId) return 'legacy';
  if (body.schemaId !== commonAlertSchemaId || !isRecord(body.data)) return undefined;
  const { essentials, alertContext } = body.data;
  const service = isRecord(essentials) ? essentials.monitoringService : undefined;
  const category = isRecord(alertContext) ? alertContext.AlertCategory : undefined;
  const budgets =
    service === 'CostAlerts' || (typeof category === 'string' && category.toLowerCase() === 'budgets');
  return budgets ? 'common' : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A read alert, with the currency still to be settled between its `Unit` and its amounts. */
interface ReadAlert {
  alert: Omit<BudgetAlert, 'currency'>;
  currency: ParseResult<{ currency?: string }>;
}

function parseCommon(body: unknown): ParseResult<ReadAlert> {
  const parsed = parseWith(commonBudgetAlert, body);
  if (!parsed.ok) return parsed;
  const { essentials, alertContext } = parsed.value.data;
  const d = alertContext.AlertData;
  const path = 'data.alertContext.AlertData';
  return {
    ok: true,
    value: {
      alert: {
        schema: 'common',
        budgetName: d.BudgetName,
        ...(d.BudgetId ? { budgetId: d.BudgetId } : {}),
        ...(d.Scope ? { scope: d.Scope } : {}),
        kind: d.ThresholdType,
        thresholdPercent: percentOf(d.NotificationThresholdAmount, d.BudgetThreshold),
        budgetAmount: d.BudgetThreshold.amount,
        spent: d.SpentAmount.amount,
        ...(d.ForecastedTotalForPeriod ? { forecast: d.ForecastedTotalForPeriod.amount } : {}),
        ...(d.BudgetStartDate ? { startDate: d.BudgetStartDate } : {}),
        ...(essentials?.firedDateTime ? { firedAt: essentials.firedDateTime } : {}),
      },
      currency: settleCurrency(d.Unit, path, {
        BudgetThreshold: d.BudgetThreshold,
        NotificationThresholdAmount: amountOf(d.NotificationThresholdAmount),
        SpentAmount: d.SpentAmount,
        ForecastedTotalForPeriod: d.ForecastedTotalForPeriod,
      }),
    },
  };
}

function parseLegacy(body: unknown): ParseResult<ReadAlert> {
  const parsed = parseWith(legacyBudgetAlert, body);
  if (!parsed.ok) return parsed;
  const d = parsed.value.data;
  const scope = d.SubscriptionId
    ? { subscriptionId: d.SubscriptionId, ...(d.ResourceGroup ? { resourceGroup: d.ResourceGroup } : {}) }
    : undefined;
  return {
    ok: true,
    value: {
      alert: {
        schema: 'legacy',
        budgetName: d.BudgetName,
        ...(scope ? { scope } : {}),
        kind: d.ThresholdType ?? 'actual',
        thresholdPercent: percentOf(d.NotificationThresholdAmount, d.Budget),
        budgetAmount: d.Budget.amount,
        spent: d.SpendingAmount.amount,
        ...(d.BudgetStartDate ? { startDate: d.BudgetStartDate } : {}),
      },
      currency: settleCurrency(d.Unit, 'data', {
        Budget: d.Budget,
        NotificationThresholdAmount: amountOf(d.NotificationThresholdAmount),
        SpendingAmount: d.SpendingAmount,
      }),
    },
  };
}

/** The threshold as percent of the budget, to 2 decimals (a ratio of 0.8 is 80, not 80.00000000000001). */
function percentOf(reading: ThresholdReading, budget: Money): number {
  const percent = 'percent' in reading ? reading.percent : (reading.amount.amount / budget.amount) * 100;
  return Math.round(percent * 100) / 100;
}

function amountOf(reading: ThresholdReading): Money | undefined {
  return 'amount' in reading ? reading.amount : undefined;
}

/**
 * The alert's currency: its `Unit`, else the one its amounts' signs name. An amount whose sign names
 * another currency than `Unit`, or than the other amounts, is a problem: its number cannot be trusted.
 */
function settleCurrency(
  unit: string | undefined,
  path: string,
  amounts: Record<string, Money | undefined>,
): ParseResult<{ currency?: string }> {
  let currency = unit;
  const problems: Problem[] = [];
  for (const [field, money] of Object.entries(amounts)) {
    if (money?.currency === undefined) continue;
    currency ??= money.currency;
    if (money.currency !== currency)
      problems.push({
        path: `${path}.${field}`,
        message: unit
          ? `is in ${money.currency}, but Unit says ${unit}`
          : `is in ${money.currency}, but another amount is in ${currency}`,
      });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: currency ? { currency } : {} };
}
