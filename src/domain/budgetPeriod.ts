/** How often a budget's spending starts again from nothing (the targets file's `budgets[].period`). */
export type BudgetPeriodLength = 'monthly' | 'quarterly' | 'annually';

/** How many months each budget period lasts. */
export const monthsIn: Readonly<Record<BudgetPeriodLength, number>> = {
  monthly: 1,
  quarterly: 3,
  annually: 12,
};

/**
 * The budget period that contains `at`: from its `start` to its `end`, when the budget resets (ISO
 * date-times at UTC midnight). Periods are counted from the budget's `startDate` (`YYYY-MM-DD`) in
 * steps of 1, 3 or 12 months, each from the start date itself, so a start on the 31st ends on the last
 * day of shorter months and comes back to the 31st after them, never skipping a month. `at` before the
 * start date gives the first period. Throws on a start date that is no calendar date.
 */
export function budgetPeriodAt(
  startDate: string,
  period: BudgetPeriodLength,
  at: Date,
): { start: string; end: string } {
  const first = calendarDate(startDate);
  const step = monthsIn[period];
  const monthsSinceStart = (at.getUTCFullYear() - first.year) * 12 + (at.getUTCMonth() - (first.month - 1));
  let index = Math.max(0, Math.floor(monthsSinceStart / step));
  // The month count ignores the day of the month: the period may begin one step earlier.
  while (index > 0 && periodStart(first, index * step) > at.getTime()) index -= 1;
  return {
    start: new Date(periodStart(first, index * step)).toISOString(),
    end: new Date(periodStart(first, (index + 1) * step)).toISOString(),
  };
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function calendarDate(text: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [year, month, day] = (match ?? []).slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined)
    throw new RangeError(`budget start date "${text}" is not a YYYY-MM-DD date`);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    throw new RangeError(`budget start date "${text}" is no calendar date`);
  return { year, month, day };
}

/** Midnight UTC, `months` after `first`, on its day of the month or the last day of a shorter month. */
function periodStart(first: CalendarDate, months: number): number {
  const monthIndex = first.month - 1 + months;
  const lastDay = new Date(Date.UTC(first.year, monthIndex + 1, 0)).getUTCDate();
  return Date.UTC(first.year, monthIndex, Math.min(first.day, lastDay));
}
