import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetPeriodAt, type BudgetPeriodLength } from '../../src/domain/budgetPeriod';

describe('the budget period an instant falls in', () => {
  const rows: {
    rule: string;
    startDate: string;
    period: BudgetPeriodLength;
    at: string;
    start: string;
    end: string;
  }[] = [
    {
      rule: 'a monthly budget resets on the first of the next month',
      startDate: '2022-11-01',
      period: 'monthly',
      at: '2025-04-15T17:53:32.996Z',
      start: '2025-04-01',
      end: '2025-05-01',
    },
    {
      rule: 'the first instant of a period belongs to it',
      startDate: '2025-01-01',
      period: 'monthly',
      at: '2025-03-01T00:00:00.000Z',
      start: '2025-03-01',
      end: '2025-04-01',
    },
    {
      rule: 'the last instant before the reset belongs to the period ending',
      startDate: '2025-01-01',
      period: 'monthly',
      at: '2025-02-28T23:59:59.999Z',
      start: '2025-02-01',
      end: '2025-03-01',
    },
    {
      rule: 'a monthly budget started mid-month runs to the same day of the next month',
      startDate: '2025-01-15',
      period: 'monthly',
      at: '2025-03-10T12:00:00Z',
      start: '2025-02-15',
      end: '2025-03-15',
    },
    {
      rule: 'a start on the 31st ends on the last day of February, never skipping it',
      startDate: '2025-01-31',
      period: 'monthly',
      at: '2025-02-10T00:00:00Z',
      start: '2025-01-31',
      end: '2025-02-28',
    },
    {
      rule: 'a start on the 31st comes back to the 31st after a short month',
      startDate: '2025-01-31',
      period: 'monthly',
      at: '2025-03-05T00:00:00Z',
      start: '2025-02-28',
      end: '2025-03-31',
    },
    {
      rule: 'a start on the 31st takes the 29th of February in a leap year',
      startDate: '2024-01-31',
      period: 'monthly',
      at: '2024-03-01T00:00:00Z',
      start: '2024-02-29',
      end: '2024-03-31',
    },
    {
      rule: 'a quarterly budget counts quarters from its start, not from January',
      startDate: '2025-02-01',
      period: 'quarterly',
      at: '2025-06-30T08:00:00Z',
      start: '2025-05-01',
      end: '2025-08-01',
    },
    {
      rule: 'a quarterly budget crosses into the next year',
      startDate: '2024-11-01',
      period: 'quarterly',
      at: '2025-01-20T00:00:00Z',
      start: '2024-11-01',
      end: '2025-02-01',
    },
    {
      rule: 'an annual budget resets a year after its start',
      startDate: '2023-07-01',
      period: 'annually',
      at: '2025-06-30T23:00:00Z',
      start: '2024-07-01',
      end: '2025-07-01',
    },
    {
      rule: 'an annual budget started on the 29th of February resets on the 28th in other years',
      startDate: '2024-02-29',
      period: 'annually',
      at: '2025-03-01T00:00:00Z',
      start: '2025-02-28',
      end: '2026-02-28',
    },
    {
      rule: 'an instant before the start date is in the first period',
      startDate: '2025-06-01',
      period: 'monthly',
      at: '2025-04-10T00:00:00Z',
      start: '2025-06-01',
      end: '2025-07-01',
    },
    {
      rule: 'an instant earlier in the start month, before the start day, is in the first period',
      startDate: '2025-06-15',
      period: 'quarterly',
      at: '2025-06-01T00:00:00Z',
      start: '2025-06-15',
      end: '2025-09-15',
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      assert.deepEqual(budgetPeriodAt(r.startDate, r.period, new Date(r.at)), {
        start: `${r.start}T00:00:00.000Z`,
        end: `${r.end}T00:00:00.000Z`,
      });
    });
  }

  it('refuses a start date that is no calendar date', () => {
    assert.throws(() => budgetPeriodAt('2025-02-30', 'monthly', new Date()), /no calendar date/);
    assert.throws(() => budgetPeriodAt('6/1/2018', 'monthly', new Date()), /not a YYYY-MM-DD date/);
  });
});
