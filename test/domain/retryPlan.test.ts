import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRetryable, nextRetry } from '../../src/domain/retryPlan';
import type { RetryPolicy } from '../../src/domain/retryPlan';

const policy: RetryPolicy = { maxAttempts: 4, firstDelayMs: 5_000, maxDelayMs: 12_000, jitter: 0.2 };

describe('which failures are worth another try', () => {
  const rows: { status: number | undefined; retry: boolean; rule: string }[] = [
    { status: undefined, retry: true, rule: 'no answer at all (a timeout, a reset) may pass' },
    { status: 408, retry: true, rule: 'a request timeout is transient' },
    { status: 409, retry: true, rule: 'a conflict with an operation still running is transient' },
    { status: 429, retry: true, rule: 'throttling passes' },
    { status: 500, retry: true, rule: 'a server error may pass' },
    { status: 503, retry: true, rule: 'an unavailable service may come back' },
    { status: 400, retry: false, rule: 'a bad request stays bad' },
    { status: 401, retry: false, rule: 'a missing credential stays missing' },
    { status: 403, retry: false, rule: 'a missing role assignment stays missing' },
    { status: 404, retry: false, rule: 'a missing resource stays missing' },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.equal(isRetryable(row.status), row.retry);
    });
});

describe('when to try again', () => {
  const rows: {
    rule: string;
    attempt: number;
    status?: number;
    unit: number;
    expected: ReturnType<typeof nextRetry>;
  }[] = [
    {
      rule: 'the first retry waits the first delay',
      attempt: 1,
      unit: 0.5,
      expected: { retry: true, delayMs: 5_000 },
    },
    {
      rule: 'each later retry waits twice as long',
      attempt: 2,
      unit: 0.5,
      expected: { retry: true, delayMs: 10_000 },
    },
    {
      rule: 'waits stop growing at the maximum',
      attempt: 3,
      unit: 0.5,
      expected: { retry: true, delayMs: 12_000 },
    },
    {
      rule: 'jitter moves a wait down by up to its share',
      attempt: 1,
      unit: 0,
      expected: { retry: true, delayMs: 4_000 },
    },
    {
      rule: 'jitter moves a wait up by just under its share',
      attempt: 1,
      unit: 0.999,
      expected: { retry: true, delayMs: 5_998 },
    },
    {
      rule: 'the last attempt gives up',
      attempt: 4,
      unit: 0.5,
      expected: { retry: false, why: 'it failed 4 times' },
    },
    {
      rule: 'a 4xx that is not transient gives up at once',
      attempt: 1,
      status: 403,
      unit: 0.5,
      expected: { retry: false, why: 'Azure answered 403, which trying again cannot change' },
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.deepEqual(
        nextRetry(policy, row.attempt, { status: row.status, reason: 'refused' }, row.unit),
        row.expected,
      );
    });
});
