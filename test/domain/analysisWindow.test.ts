import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextAnalysisWindow, windowBeforeSwap } from '../../src/domain/analysisWindow';

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

describe('production’s minutes before a swap', () => {
  const at = (iso: string): number => Date.parse(iso);
  const rows = [
    {
      rule: 'end a settle time before the swap, on a whole minute',
      swap: '2026-01-01T10:07:30Z',
      minutes: 10,
      settleSeconds: 120,
      start: '2026-01-01T09:55:00.000Z',
      end: '2026-01-01T10:05:00.000Z',
    },
    {
      rule: 'end on the swap’s own minute without a settle time',
      swap: '2026-01-01T10:07:30Z',
      minutes: 5,
      settleSeconds: 0,
      start: '2026-01-01T10:02:00.000Z',
      end: '2026-01-01T10:07:00.000Z',
    },
    {
      rule: 'cover at least one whole minute for a bake shorter than one',
      swap: '2026-01-01T10:00:00Z',
      minutes: 0.5,
      settleSeconds: 60,
      start: '2026-01-01T09:58:00.000Z',
      end: '2026-01-01T09:59:00.000Z',
    },
    {
      rule: 'round a part of a minute up',
      swap: '2026-01-01T10:00:59.999Z',
      minutes: 2.5,
      settleSeconds: 45,
      start: '2026-01-01T09:57:00.000Z',
      end: '2026-01-01T10:00:00.000Z',
    },
  ];
  for (const r of rows) {
    it(`${r.rule}: ${r.minutes} min before a swap at ${r.swap} are ${r.start}–${r.end}`, () => {
      const w = windowBeforeSwap(at(r.swap), r.minutes, r.settleSeconds);
      assert.equal(new Date(w.start).toISOString(), r.start);
      assert.equal(new Date(w.end).toISOString(), r.end);
    });
  }
});
