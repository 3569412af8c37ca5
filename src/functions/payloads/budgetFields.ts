import { z } from 'zod';
import { budgetKinds } from '../../config';
import { parseMoney, type Money } from '../../domain/money';

// Fields of Azure's budget alerts, which are all strings: amounts formatted in the budget's currency
// and locale, dates in more than one format. Each reads one field or says what it expected.

const quoted = (value: string): string =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

const stringOrNumber = z.union([z.string(), z.number()], {
  error: (issue) =>
    issue.input === undefined || issue.input === null ? 'is required' : 'expected a string or a number',
});

/** An object the payload must carry; says "is required" when it is missing. */
export const section = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { error: (issue) => (issue.input === undefined ? 'is required' : 'expected an object') });

/** Empty strings and nulls, which Azure sends for fields that do not apply, read as absent. */
export const absentWhenEmpty = <T extends z.ZodType>(field: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), field.optional());

function readAmount(value: string | number): Money | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { amount: value } : undefined;
  return parseMoney(value);
}

/** A currency-formatted amount: `"$11,111.00"`, `"1.234,56 €"`, `"1111.32"`. */
export const amount = stringOrNumber.transform((value, ctx) => {
  const money = readAmount(value);
  if (money) return money;
  ctx.issues.push({
    code: 'custom',
    input: value,
    message: `expected one amount such as "$1,234.56", "1.234,56 €" or "1234.56"; got ${quoted(String(value))}`,
  });
  return z.NEVER;
});

/** A budget's amount: a budget of nothing has no thresholds to cross. */
export const budgetAmount = amount.refine((money) => money.amount > 0, {
  message: 'must be above 0: a budget of nothing has no thresholds',
});

/** A threshold as the payload writes it, before it is set against the budget's amount. */
export type ThresholdReading = { percent: number } | { amount: Money };

/**
 * `NotificationThresholdAmount`, which Azure has sent as a percentage, a ratio and an amount: with `%`
 * it is a percentage (`"80%"`, `"80 %"`); with a currency sign or code, an amount (`"$40.00"`); a bare
 * number is a ratio when at most 10 (`"0.8"`: budgets' thresholds stop at 1000%), else an amount
 * (`"8000.0"`).
 */
export const threshold = stringOrNumber.transform((value, ctx): ThresholdReading => {
  const reading = readThreshold(value);
  if (reading && valueOf(reading) > 0) return reading;
  ctx.issues.push({
    code: 'custom',
    input: value,
    message: reading
      ? `must be above 0; got ${quoted(String(value))}`
      : `expected a threshold as a percentage ("80%"), a ratio ("0.8") or an amount ("$40.00"); got ${quoted(String(value))}`,
  });
  return z.NEVER;
});

function readThreshold(value: string | number): ThresholdReading | undefined {
  const percent = typeof value === 'string' ? /^(.*?)\s*%$/.exec(value.trim()) : null;
  if (percent) {
    const money = parseMoney(percent[1] ?? '');
    return money && money.symbol === undefined ? { percent: money.amount } : undefined;
  }
  const money = readAmount(value);
  if (!money) return undefined;
  return money.symbol === undefined && money.amount <= 10
    ? { percent: money.amount * 100 }
    : { amount: money };
}

const valueOf = (reading: ThresholdReading): number =>
  'percent' in reading ? reading.percent : reading.amount.amount;

/** `ThresholdType`, in any case: `Actual` or `Forecasted`. */
export const thresholdKind = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'expected a string') })
  .transform((kind) => kind.toLowerCase())
  .pipe(z.enum(budgetKinds, { error: 'expected "Actual" or "Forecasted"' }));

/** `Unit`: the budget's ISO 4217 currency code. */
export const currencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 currency code such as "USD"')
  .transform((code) => code.toUpperCase());

/**
 * `BudgetStartDate` as YYYY-MM-DD. The common schema sends `2022-11-01`; the older one has sent
 * `6/1/2018` (M/D/YYYY), `11/17/2021 5:40:29 PM -08:00` and `2023-01-20T23:49:40.216Z`: the date as
 * written is kept, whatever the time and offset after it.
 */
export const startDate = z.string().transform((text, ctx) => {
  const date = toIsoDate(text.trim());
  if (date) return date;
  ctx.issues.push({
    code: 'custom',
    input: text,
    message: `expected a date such as "2025-06-01" or "6/1/2025"; got ${quoted(text)}`,
  });
  return z.NEVER;
});

function toIsoDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]].map(Number)
    : us
      ? [us[3], us[1], us[2]].map(Number)
      : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A subscription id (a GUID), lower-cased: Azure does not keep the case of ids. */
export const subscriptionId = z
  .string()
  .regex(guid, 'expected a subscription id (a GUID)')
  .transform((id) => id.toLowerCase());

/** The subscription or resource group a budget covers, as Shepherd matches budgets by it. */
export interface BudgetScope {
  subscriptionId: string;
  resourceGroup?: string;
}

/**
 * The common schema's `Scope`: a subscription (`/subscriptions/ID/`) or a resource group
 * (`/subscriptions/ID/resourceGroups/NAME`) gives the scope; a billing account, a department or a
 * management group gives none, since no subscription or resource group names them.
 */
export const budgetScope = z.string().transform((text, ctx): BudgetScope | undefined => {
  if (!/^\/subscriptions\//i.test(text)) return undefined;
  const match = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/?$/i.exec(text);
  const id = match?.[1];
  if (id !== undefined && guid.test(id)) {
    const resourceGroup = match?.[2];
    return { subscriptionId: id.toLowerCase(), ...(resourceGroup ? { resourceGroup } : {}) };
  }
  ctx.issues.push({
    code: 'custom',
    input: text,
    message: `expected "/subscriptions/ID/" or "/subscriptions/ID/resourceGroups/NAME"; got ${quoted(text)}`,
  });
  return z.NEVER;
});
