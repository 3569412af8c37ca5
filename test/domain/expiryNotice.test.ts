import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideExpiryNotice } from '../../src/domain/expiryNotice';
import type { ExpiryMilestone, NoticeDecision } from '../../src/domain/expiryNotice';

const day = 24 * 3_600_000;
const expires = Date.parse('2026-07-01T00:00:00Z');
const before = (days: number): number => expires - days * day;

describe('when people are told a secret is about to expire', () => {
  const rows: {
    rule: string;
    now: number;
    noticeDays?: number;
    told?: ExpiryMilestone[];
    expected: NoticeDecision;
  }[] = [
    {
      rule: 'not before the notice period',
      now: before(14) - 1,
      expected: { tell: false, why: 'it is not within its notice period yet' },
    },
    {
      rule: 'at the start of the notice period',
      now: before(14),
      expected: { tell: true, milestone: 'notice', text: 'expires in 14 days' },
    },
    {
      rule: 'not again on the next day’s scan',
      now: before(13),
      told: ['notice'],
      expected: { tell: false, why: 'people were told at this milestone (notice) already' },
    },
    {
      rule: 'again seven days ahead',
      now: before(7),
      told: ['notice'],
      expected: { tell: true, milestone: '7days', text: 'expires in 7 days' },
    },
    {
      rule: 'again one day ahead',
      now: before(1),
      told: ['notice', '7days'],
      expected: { tell: true, milestone: '1day', text: 'expires in 1 day' },
    },
    {
      rule: 'once it has expired',
      now: expires + 1,
      told: ['notice', '7days', '1day'],
      expected: { tell: true, milestone: 'expired', text: 'has expired' },
    },
    {
      rule: 'only the latest milestone when the scans were missed',
      now: before(2),
      expected: { tell: true, milestone: '7days', text: 'expires in 2 days' },
    },
    {
      rule: 'with a notice period of 7 days, the notice is the 7-day one',
      now: before(7),
      noticeDays: 7,
      expected: { tell: true, milestone: 'notice', text: 'expires in 7 days' },
    },
    {
      rule: 'with a notice period of 7 days, the next is the 1-day one',
      now: before(1),
      noticeDays: 7,
      told: ['notice'],
      expected: { tell: true, milestone: '1day', text: 'expires in 1 day' },
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.deepEqual(
        decideExpiryNotice(new Date(expires).toISOString(), row.noticeDays ?? 14, row.told ?? [], row.now),
        row.expected,
      );
    });

  it('never for a secret that does not expire', () => {
    assert.deepEqual(decideExpiryNotice(undefined, 14, [], expires), {
      tell: false,
      why: 'the secret never expires',
    });
  });
});
