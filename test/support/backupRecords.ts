import type { BackupRecord } from '../../src/domain/backupRecord';

/** A verified backup's record, with whatever a test changes in it. */
export function backupRecord(overrides: Partial<BackupRecord> = {}): BackupRecord {
  return {
    name: 'web/appdb/x.dump',
    target: 'web',
    database: 'appdb',
    takenAt: '2025-01-02T03:04:05.678Z',
    releaseId: null,
    image: null,
    status: 'verified',
    sizeBytes: 10,
    sha256: 'ab'.repeat(32),
    pgDumpVersion: '15.18',
    serverVersion: '15.6',
    verifiedAt: '2025-01-02T03:05:00.000Z',
    reason: null,
    ...overrides,
  };
}
