import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRotation, rotationExpiry } from '../../src/domain/rotationDue';
import type { CurrentVersion, RotationDecision } from '../../src/domain/rotationDue';
import { nextRole } from '../../src/domain/rotationRoles';

const day = 24 * 3_600_000;
const now = Date.parse('2026-06-01T12:00:00Z');
const daysAgo = (n: number): string => new Date(now - n * day).toISOString();
const daysAhead = (n: number): string => new Date(now + n * day).toISOString();

describe('when a secret is due for rotation', () => {
  const rows: { rule: string; current: CurrentVersion | undefined; expected: RotationDecision }[] = [
    {
      rule: 'a secret with no version is due',
      current: undefined,
      expected: { due: true, why: 'the secret has no version yet' },
    },
    {
      rule: 'a version exactly as old as the period is due',
      current: { createdOn: daysAgo(90), expiresOn: daysAhead(30) },
      expected: { due: true, why: 'its current version is 90 days old' },
    },
    {
      rule: 'a version a day short of the period is not, and says when it will be',
      current: { createdOn: daysAgo(89), expiresOn: daysAhead(31) },
      expected: { due: false, nextAt: daysAhead(1) },
    },
    {
      rule: 'a young version that expires within 30 days is due: its event may have been lost',
      current: { createdOn: daysAgo(10), expiresOn: daysAhead(29) },
      expected: { due: true, why: 'its current version expires within 30 days' },
    },
    {
      rule: 'an expired version is due',
      current: { createdOn: daysAgo(10), expiresOn: daysAgo(1) },
      expected: { due: true, why: 'its current version has expired' },
    },
    {
      rule: 'a version that never expires is due, since no near-expiry event will ever come',
      current: { createdOn: daysAgo(1) },
      expected: { due: true, why: 'its current version never expires' },
    },
    {
      rule: 'an early expiry brings the next rotation forward',
      current: { createdOn: daysAgo(1), expiresOn: daysAhead(40) },
      expected: { due: false, nextAt: daysAhead(10) },
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.deepEqual(decideRotation(row.current, 90, now), row.expected);
    });

  it('writes versions that expire 30 days after their rotation day, so Key Vault’s near-expiry event fires on it', () => {
    assert.equal(rotationExpiry(now, 90), daysAhead(120));
    assert.deepEqual(decideRotation({ createdOn: daysAgo(0), expiresOn: rotationExpiry(now, 90) }, 90, now), {
      due: false,
      nextAt: daysAhead(90),
    });
  });
});

describe('which of two roles gets the new password', () => {
  const roles = ['app_blue', 'app_green'] as const;
  const rows: { rule: string; current: string | undefined; inUse: string | undefined; next: string }[] = [
    {
      rule: 'the second, while the first is in use',
      current: 'app_blue',
      inUse: 'app_blue',
      next: 'app_green',
    },
    {
      rule: 'the first, while the second is in use',
      current: 'app_green',
      inUse: 'app_green',
      next: 'app_blue',
    },
    {
      rule: 'the first, when the secret was never written',
      current: undefined,
      inUse: undefined,
      next: 'app_blue',
    },
    {
      rule: 'the first, when the secret names a role from before Shepherd looked after it',
      current: 'app_legacy',
      inUse: 'app_legacy',
      next: 'app_blue',
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.deepEqual(nextRole(roles, row.current), { inUse: row.inUse, next: row.next });
    });
});
