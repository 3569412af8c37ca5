import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextAnalysisWindow } from '../../src/domain/analysisWindow';

describe('analysis windows', () => {
  const at = (iso: string): number => Date.parse(iso);
  const rows = [
    {
      now: '2026-01-01T10:00:20Z',
      minutes: 5,
      start: '2026-01-01T10:01:00.000Z',
      end: '2026-01-01T10:06:00.000Z',
    },
    {
      now: '2026-01-01T10:00:00Z',
      minutes: 1,
      start: '2026-01-01T10:00:00.000Z',
      end: '2026-01-01T10:01:00.000Z',
    },
    {
      now: '2026-01-01T10:59:59.999Z',
      minutes: 2,
      start: '2026-01-01T11:00:00.000Z',
      end: '2026-01-01T11:02:00.000Z',
    },
  ];
  for (const r of rows) {
    it(`a change at ${r.now} is judged from ${r.start} for ${r.minutes} min`, () => {
      const w = nextAnalysisWindow(at(r.now), r.minutes);
      assert.equal(new Date(w.start).toISOString(), r.start);
      assert.equal(new Date(w.end).toISOString(), r.end);
    });
  }
});
