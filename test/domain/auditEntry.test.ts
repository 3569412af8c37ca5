import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditDetail, auditDetailLimit } from '../../src/domain/auditEntry';

describe('an audit entry’s detail', () => {
  const rows: [string, string, string][] = [
    ['keeps a short detail as it is', 'step 1 (10%): every gate passed', 'step 1 (10%): every gate passed'],
    ['keeps one exactly at the limit', 'x'.repeat(auditDetailLimit), 'x'.repeat(auditDetailLimit)],
    [
      'cuts one a character over, ending in an ellipsis',
      'x'.repeat(auditDetailLimit + 1),
      `${'x'.repeat(auditDetailLimit - 1)}…`,
    ],
    ['keeps an empty one (an approval without a reason)', '', ''],
  ];
  for (const [rule, detail, kept] of rows)
    it(rule, () => {
      assert.equal(auditDetail(detail), kept);
      assert.ok(auditDetail(detail).length <= auditDetailLimit);
    });
});
