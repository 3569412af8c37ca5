import type { BudgetKind } from '../config';

/**
 * An Azure Cost Management budget alert, whichever shape Azure sent it in, with its amounts read
 * (`parseBudgetAlert` in `src/functions/payloads/budgetAlert.ts` makes it). Amounts are in the
 * budget's currency.
 */
export interface BudgetAlert {
  /** Which shape Azure sent it in: the common alert schema or the older `AIP Budget Notification`. */
  schema: 'common' | 'legacy';
  budgetName: string;
  /** The budget's resource id (`…/providers/Microsoft.Consumption/budgets/NAME`); common schema only. */
  budgetId?: string;
  /**
   * The budget's scope; undefined when the payload names none, or names one that is no subscription
   * or resource group (a billing account, a management group).
   */
  scope?: { subscriptionId: string; resourceGroup?: string };
  /** `ThresholdType`; the older schema has none and alerts on actual spending only: `actual`. */
  kind: BudgetKind;
  /** The threshold crossed, as percent of the budget amount (80 for 80%), rounded to 2 decimals. */
  thresholdPercent: number;
  /** The budget's amount for its period. */
  budgetAmount: number;
  /** What was spent so far in the period. */
  spent: number;
  /** `ForecastedTotalForPeriod` when sent (forecasted alerts). */
  forecast?: number;
  /** The payload's `Unit` (ISO currency), else what the amounts' signs say, else undefined. */
  currency?: string;
  /**
   * `BudgetStartDate` as YYYY-MM-DD: the common schema sends it so; the older one sends US dates
   * ("6/1/2018", M/D/YYYY, sometimes with a time and offset) or ISO date-times, of which the date as
   * written is kept.
   */
  startDate?: string;
  /** `essentials.firedDateTime` (ISO) when sent. */
  firedAt?: string;
}
