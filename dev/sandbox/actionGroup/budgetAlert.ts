import { z } from 'zod';

/** What a budget alert says: which budget, which threshold was crossed, and by how much. */
export const budgetAlertSchema = z
  .object({
    budgetName: z.string().regex(/^[\w.-]{1,63}$/, 'a budget name: letters, digits, _ . - (up to 63)'),
    /** The budget's scope: `/subscriptions/{id}/` or `/subscriptions/{id}/resourceGroups/{rg}`; the sandbox's first subscription by default. */
    scope: z
      .string()
      .regex(
        /^\/subscriptions\/[^/]+\/(?:resourceGroups\/[^/]+\/?)?$/i,
        'a subscription or resource group scope',
      )
      .optional(),
    kind: z.enum(['actual', 'forecasted']).default('actual'),
    /** The threshold crossed, in percent of the budget (Cost Management allows 0.01 to 1000). */
    thresholdPercent: z.number().min(0.01).max(1000),
    /** The budget's amount for its period. */
    budgetAmount: z.number().positive().default(1000),
    /** Spent so far this period; by default the threshold's amount, exactly where the threshold was crossed. */
    spent: z.number().min(0).optional(),
    /** The forecast for the whole period; by default the threshold's amount on a forecasted alert. */
    forecast: z.number().min(0).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as USD')
      .default('USD'),
    /** How amounts are written, as the person's locale in Cost Management writes them. */
    locale: z
      .string()
      .refine((l) => Intl.NumberFormat.supportedLocalesOf([l]).length > 0, 'a locale such as en-US')
      .default('en-US'),
    /** The first day of the budget's period, `YYYY-MM-DD`; the first of the current month by default. */
    startDate: z.iso.date().optional(),
    /** Forces a payload shape; otherwise each webhook's `useCommonAlertSchema` chooses, as in Azure. */
    shape: z.enum(['common', 'legacy']).optional(),
    /** How `NotificationThresholdAmount` is written: an amount (common's way), a ratio (`0.8`, the legacy docs' way) or a percentage. */
    thresholdAs: z.enum(['amount', 'ratio', 'percent']).optional(),
  })
  .strict();

export type BudgetAlert = z.input<typeof budgetAlertSchema>;
type ParsedBudgetAlert = z.output<typeof budgetAlertSchema>;

/** Where and when the alert is raised: what the request leaves to the sandbox. */
export interface BudgetAlertOrigin {
  /** The subscription of a budget given without a scope. */
  subscriptionId: string;
  /** The sandbox clock's time, epoch ms. */
  now: number;
  /** A fresh id for this alert (Cost Management gives each alert its own). */
  alertName: string;
}

/**
 * The payload an action group webhook receives for a budget alert, in the common alert schema
 * (`monitoringService: "CostAlerts"`, as `monitor-alert-budget-actual-costalerts-fired.json`) or in
 * the older `AIP Budget Notification` shape (cost-management-budget-scenario).
 */
export function budgetAlertPayload(
  alert: ParsedBudgetAlert,
  origin: BudgetAlertOrigin,
  shape: 'common' | 'legacy',
): unknown {
  const scope = alert.scope ?? `/subscriptions/${origin.subscriptionId}/`;
  const [, subscriptionId = origin.subscriptionId, resourceGroup = ''] =
    /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i.exec(scope) ?? [];
  const thresholdAmount = (alert.budgetAmount * alert.thresholdPercent) / 100;
  const forecast = alert.forecast ?? (alert.kind === 'forecasted' ? thresholdAmount : undefined);
  const spent = alert.spent ?? (alert.kind === 'actual' ? thresholdAmount : 0);
  const startDate = alert.startDate ?? firstOfMonth(origin.now);
  // The common schema writes amounts in the budget's currency and locale; the legacy payload, as plain numbers.
  const money = new Intl.NumberFormat(alert.locale, { style: 'currency', currency: alert.currency });
  const amount = (value: number): string => (shape === 'common' ? money.format(value) : String(value));
  const thresholdAs = alert.thresholdAs ?? (shape === 'common' ? 'amount' : 'ratio');
  const threshold =
    thresholdAs === 'ratio'
      ? String(alert.thresholdPercent / 100)
      : thresholdAs === 'percent'
        ? String(alert.thresholdPercent)
        : amount(thresholdAmount);

  if (shape === 'legacy') {
    const [year, month, day] = startDate.split('-').map(Number);
    return {
      schemaId: 'AIP Budget Notification',
      data: {
        SubscriptionName: 'Shepherd sandbox',
        SubscriptionId: subscriptionId,
        SpendingAmount: amount(spent),
        BudgetStartDate: `${month}/${day}/${year}`,
        Budget: amount(alert.budgetAmount),
        Unit: alert.currency,
        BudgetCreator: 'sandbox@shepherd.test',
        BudgetName: alert.budgetName,
        BudgetType: 'Cost',
        ResourceGroup: resourceGroup,
        // The scenario doc's sample writes the threshold as a ratio (`"0.8"`), others have seen an amount.
        NotificationThresholdAmount: threshold,
      },
    };
  }
  const scopeId = scope.replace(/\/$/, '');
  const subject =
    alert.kind === 'forecasted' ? `forecasted spend ${amount(forecast ?? 0)}` : `spend ${amount(spent)}`;
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        monitoringService: 'CostAlerts',
        firedDateTime: new Date(origin.now).toISOString(),
        description: `Your ${subject} for budget ${alert.budgetName} is exceeding your specified threshold ${amount(thresholdAmount)}.`,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
        alertId: `/subscriptions/${subscriptionId}/providers/Microsoft.CostManagement/alerts/${origin.alertName}`,
        alertRule: null,
        severity: null,
        signalType: null,
        monitorCondition: 'Fired',
        alertTargetIDs: null,
        configurationItems: ['budgets'],
        originAlertId: null,
      },
      alertContext: {
        AlertCategory: 'budgets',
        AlertData: {
          Scope: scope,
          ThresholdType: alert.kind === 'actual' ? 'Actual' : 'Forecasted',
          BudgetType: 'Cost',
          BudgetThreshold: amount(alert.budgetAmount),
          NotificationThresholdAmount: threshold,
          BudgetName: alert.budgetName,
          BudgetId: `${scopeId}/providers/Microsoft.Consumption/budgets/${alert.budgetName}`,
          BudgetStartDate: startDate,
          BudgetCreator: 'sandbox@shepherd.test',
          Unit: alert.currency,
          SpentAmount: amount(spent),
          ...(forecast === undefined ? {} : { ForecastedTotalForPeriod: amount(forecast) }),
        },
      },
    },
  };
}

/** `YYYY-MM-01` of the month `at` falls in, in UTC: a monthly budget's usual start. */
function firstOfMonth(at: number): string {
  return `${new Date(at).toISOString().slice(0, 7)}-01`;
}
