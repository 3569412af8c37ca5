import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BackupRecord } from '../../src/domain/backupRecord';
import { isUsableBackup, newestFirst, reusableBackup } from '../../src/domain/backupRecord';
import { backupRecord as record } from '../support/backupRecords';

describe('which backups are usable', () => {
  const rows: [string, Partial<BackupRecord>, boolean][] = [
    ['a verified backup with size and hash', {}, true],
    ['a verified backup of zero bytes', { sizeBytes: 0 }, true],
    ['one uploaded but not yet verified', { status: 'uploaded' }, false],
    ['one that failed verification', { status: 'verificationFailed' }, false],
    ['one without a status (a crash before it was written)', { status: null }, false],
    ['a verified one missing its hash', { sha256: null }, false],
    ['a verified one missing its size', { sizeBytes: null }, false],
  ];
  for (const [rule, overrides, usable] of rows) {
    it(`${usable ? 'counts' : 'does not count'} ${rule}`, () =>
      assert.equal(isUsableBackup(record(overrides)), usable));
  }
});

describe('backup order', () => {
  it('lists newest first, breaking ties by name', () => {
    const a = record({ name: 'a', takenAt: '2025-01-01T00:00:00.000Z' });
    const b = record({ name: 'b', takenAt: '2025-02-01T00:00:00.000Z' });
    const c = record({ name: 'c', takenAt: '2025-01-01T00:00:00.000Z' });
    assert.deepEqual(
      newestFirst([a, b, c]).map((r) => r.name),
      ['b', 'c', 'a'],
    );
  });

  const since = '2025-01-02T00:00:00.000Z';
  const reuse: [string, Partial<BackupRecord>[], string | null, string | undefined][] = [
    [
      'the newest usable backup of the release taken since the request',
      [
        { name: 'a', releaseId: 'r1', takenAt: '2025-01-02T00:01:00.000Z' },
        { name: 'b', releaseId: 'r1', takenAt: '2025-01-02T00:02:00.000Z' },
      ],
      'r1',
      'b',
    ],
    [
      'one taken exactly when the request was made',
      [{ name: 'a', releaseId: 'r1', takenAt: since }],
      'r1',
      'a',
    ],
    [
      'nothing taken before the request, as an old release id can come back',
      [{ name: 'a', releaseId: 'r1', takenAt: '2025-01-01T23:59:59.999Z' }],
      'r1',
      undefined,
    ],
    [
      'nothing unusable',
      [{ name: 'a', releaseId: 'r1', takenAt: '2025-01-02T00:01:00.000Z', status: 'verificationFailed' }],
      'r1',
      undefined,
    ],
    [
      'nothing of another release',
      [{ name: 'a', releaseId: 'r2', takenAt: '2025-01-02T00:01:00.000Z' }],
      'r1',
      undefined,
    ],
    [
      'an on-demand backup for an on-demand request',
      [{ name: 'a', releaseId: null, takenAt: '2025-01-02T00:01:00.000Z' }],
      null,
      'a',
    ],
    [
      "no release's backup for an on-demand request",
      [{ name: 'a', releaseId: 'r1', takenAt: '2025-01-02T00:01:00.000Z' }],
      null,
      undefined,
    ],
  ];
  for (const [rule, records, releaseId, expected] of reuse) {
    it(`reuses ${rule}`, () =>
      assert.equal(reusableBackup(records.map(record), releaseId, since)?.name, expected));
  }
});
