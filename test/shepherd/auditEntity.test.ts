import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  auditFilter,
  auditRowKey,
  fromAuditEntity,
  fromContinuation,
  invertedTime,
  subjectPartition,
  toAuditEntity,
  toContinuation,
} from '../../src/azure/auditEntity';
import type { AuditActor, AuditEntry } from '../../src/domain/auditEntry';

const entry: AuditEntry = {
  id: 'release:web:2222:3',
  at: '2026-03-02T10:05:00.000Z',
  action: 'release.window',
  subject: { kind: 'target', name: 'web' },
  by: { kind: 'shepherd' },
  outcome: 'pass',
  detail: 'step 1 (10%): every gate passed',
  operation: { kind: 'release', id: 'release:web:2222' },
};

/** The bounds `auditFilter` puts on RowKey, as [operator, value] pairs. */
function bounds(filter: string): [string, string][] {
  return [...filter.matchAll(/RowKey (\w+) '([^']*)'/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

/** Whether a RowKey passes the bounds, as Table storage compares strings. */
function within(rowKey: string, filter: string): boolean {
  return bounds(filter).every(([op, value]) =>
    op === 'ge' ? rowKey >= value : op === 'gt' ? rowKey > value : op === 'lt' ? rowKey < value : false,
  );
}

const keyAt = (at: string, id = 'x:1'): string => auditRowKey({ at, id });

describe('audit entry keys', () => {
  it('sort newer entries first, across years and milliseconds', () => {
    const times = [
      '2026-03-02T10:05:00.001Z',
      '2026-03-02T10:05:00.000Z',
      '2026-03-02T10:04:59.999Z',
      '2025-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
    ];
    const keys = times.map((t) => keyAt(t));
    assert.deepEqual([...keys].sort(), keys);
  });

  it('are 13 digits of time from 1970 to the year 2286, and refuse times outside', () => {
    assert.equal(invertedTime(0), '9999999999999');
    assert.equal(invertedTime(9_999_999_999_999), '0000000000000');
    for (const bad of [-1, 10_000_000_000_000, 1.5, Number.NaN])
      assert.throws(() => invertedTime(bad), RangeError, String(bad));
  });

  it('are the same each time an entry is written, and differ for another id at the same moment', () => {
    assert.equal(auditRowKey(entry), auditRowKey({ ...entry }));
    assert.notEqual(auditRowKey(entry), auditRowKey({ ...entry, id: 'release:web:2222:4' }));
  });

  it('never hold a character Table storage refuses in a key, whatever the id or name', () => {
    const refused = (c: string): boolean =>
      '/\\#?'.includes(c) || c.charCodeAt(0) <= 0x1f || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f);
    const key = auditRowKey({ at: entry.at, id: 'a/b\\c#d?e\u0001f\u007fg\u0085h' });
    assert.deepEqual(Array.from(key).filter(refused), []);
    const partition = subjectPartition({ kind: 'secret', name: 'db/pass#1' });
    assert.deepEqual(Array.from(partition).filter(refused), []);
  });

  it('keep a target and a secret of the same name apart', () => {
    assert.notEqual(
      subjectPartition({ kind: 'target', name: 'web' }),
      subjectPartition({ kind: 'secret', name: 'web' }),
    );
  });
});

describe('audit queries', () => {
  const from = Date.parse('2026-03-02T10:00:00.000Z');
  const to = Date.parse('2026-03-02T11:00:00.000Z');
  const filter = auditFilter('target:web', { from, to });

  const rows: [string, boolean][] = [
    ['2026-03-02T09:59:59.999Z', false],
    ['2026-03-02T10:00:00.000Z', true],
    ['2026-03-02T10:30:00.000Z', true],
    ['2026-03-02T10:59:59.999Z', true],
    ['2026-03-02T11:00:00.000Z', false],
  ];
  for (const [at, kept] of rows)
    it(`${kept ? 'keep' : 'leave out'} an entry at ${at} from 10:00 (inclusive) to 11:00 (exclusive)`, () => {
      assert.equal(within(keyAt(at), filter), kept);
      assert.equal(within(keyAt(at, 'zzzz:999'), filter), kept, 'whatever its id');
    });

  it('read one partition, and only the entries older than where the last page stopped', () => {
    const last = keyAt('2026-03-02T10:30:00.000Z', 'x:5');
    const next = auditFilter('all', { afterRowKey: last });
    assert.match(next, /^PartitionKey eq 'all' and /);
    assert.equal(within(keyAt('2026-03-02T10:30:00.000Z', 'x:6'), next), true, 'the same moment, next id');
    assert.equal(within(last, next), false);
    assert.equal(within(keyAt('2026-03-02T10:30:00.001Z'), next), false, 'newer');
    assert.equal(within(keyAt('2026-03-02T10:29:59.999Z'), next), true, 'older');
  });

  it('quote names in the filter, so a name cannot change the query', () => {
    assert.equal(auditFilter("target:o'hara", {}), "PartitionKey eq 'target:o''hara'");
  });

  it('carry on from a continuation they gave, and refuse any other', () => {
    const key = auditRowKey(entry);
    assert.equal(fromContinuation(toContinuation(key)), key);
    for (const bad of ['', 'not base64!', toContinuation('PartitionKey'), toContinuation("1' or '1'='1")])
      assert.equal(fromContinuation(bad), undefined, bad);
  });
});

describe('audit entities', () => {
  const actors: AuditActor[] = [
    { kind: 'person', name: 'ana@contoso.example' },
    { kind: 'alert', rule: 'web-5xx' },
    { kind: 'schedule', name: 'daily secret scan' },
    { kind: 'push', image: 'contoso.azurecr.io/web:2.0.0' },
    { kind: 'shepherd' },
  ];
  for (const by of actors)
    it(`keep an entry asked for by ${by.kind} as it was written`, () => {
      const written = { ...entry, by };
      assert.deepEqual(fromAuditEntity(toAuditEntity(written, 'all')), written);
    });

  it('keep an entry that belongs to no durable work without one', () => {
    const alone: AuditEntry = { ...entry };
    delete alone.operation;
    assert.deepEqual(fromAuditEntity(toAuditEntity(alone, 'all')), alone);
  });

  it('read no entry from a row this version does not know', () => {
    const row = { ...toAuditEntity(entry, 'all'), action: 'budget.frozen' };
    assert.equal(fromAuditEntity(row), undefined);
  });
});
