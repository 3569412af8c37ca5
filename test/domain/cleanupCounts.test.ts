import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countCleanup } from '../../src/domain/cleanupCounts';
import type { CleanupItem } from '../../src/domain/cleanupPlan';

const keep = (n: number, reason: string): CleanupItem => ({
  id: `k${n}`,
  what: `k${n}`,
  action: 'keep',
  reasons: [reason],
});

describe('counting a cleanup run', () => {
  it('counts done, failed, reported and kept by first reason', () => {
    const items: CleanupItem[] = [
      keep(1, 'known good for web'),
      keep(2, 'known good for web'),
      keep(3, 'running in web/production'),
      { id: 'r', what: 'r', action: 'report', reasons: ['held'] },
      { id: 'd1', what: 'd1', action: 'delete', reasons: ['old'] },
      { id: 'd2', what: 'd2', action: 'delete', reasons: ['old'] },
    ];
    assert.deepEqual(
      countCleanup(items, [
        { id: 'd1', outcome: 'done' },
        { id: 'd2', outcome: 'failed' },
      ]),
      { done: 1, failed: 1, reported: 1, kept: { 'known good for web': 2, 'running in web/production': 1 } },
    );
  });

  it('counts reasons that differ only by digest as one', () => {
    const items = Array.from({ length: 50 }, (_, n) =>
      keep(n, `attached to kept sha256:${n.toString(16).padStart(12, '0')}…`),
    );
    assert.deepEqual(countCleanup(items, []).kept, { 'attached to kept sha256:…': 50 });
  });

  it('counts the rarer reasons together, so the counts stay small', () => {
    const items = Array.from({ length: 40 }, (_, n) => keep(n, `running in web-${n}/production`));
    const { kept } = countCleanup(items, []);
    assert.equal(Object.keys(kept).length, 13);
    assert.equal(kept['other reasons'], 28);
  });
});
