import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBackupMetadata, toBackupMetadata } from '../../src/azure/backupMetadata';
import type { BackupRecord } from '../../src/domain/backupRecord';

const verified: BackupRecord = {
  name: 'web/appdb/20250102T030405.678Z_release-web-0a1b.dump',
  target: 'web',
  database: 'appdb',
  takenAt: '2025-01-02T03:04:05.678Z',
  releaseId: 'release:web:0a1b',
  image: 'contoso.azurecr.io/web:2.0.0@sha256:abc',
  status: 'verified',
  sizeBytes: 123456,
  sha256: 'ab'.repeat(32),
  pgDumpVersion: '15.18',
  serverVersion: '15.6',
  verifiedAt: '2025-01-02T03:05:00.000Z',
  reason: null,
};

describe('backup records in blob metadata', () => {
  it('come back as they were written', () => {
    assert.deepEqual(fromBackupMetadata(verified.name, toBackupMetadata(verified)), verified);
  });

  it('leave out what is not known yet', () => {
    const uploaded = {
      ...verified,
      status: null,
      sizeBytes: null,
      sha256: null,
      verifiedAt: null,
      releaseId: null,
    };
    const metadata = toBackupMetadata(uploaded);
    assert.deepEqual(Object.keys(metadata).sort(), [
      'database',
      'image',
      'pgdumpversion',
      'serverversion',
      'takenat',
      'target',
    ]);
    assert.deepEqual(fromBackupMetadata(uploaded.name, metadata), uploaded);
  });

  it('are read whatever the case of the keys storage returns', () => {
    const upper = Object.fromEntries(
      Object.entries(toBackupMetadata(verified)).map(([k, v]) => [k.toUpperCase(), v]),
    );
    assert.deepEqual(fromBackupMetadata(verified.name, upper), verified);
  });

  it('keep header-safe text only', () => {
    const metadata = toBackupMetadata({ ...verified, status: 'verificationFailed', reason: 'bad\nbyte ✗' });
    assert.equal(metadata.reason, 'bad?byte ?');
  });

  it('do not make a backup of a blob Shepherd did not write, nor trust an odd status, size or hash', () => {
    assert.equal(fromBackupMetadata('notes.txt', { author: 'someone' }), undefined);
    const odd = fromBackupMetadata(verified.name, {
      ...toBackupMetadata(verified),
      status: 'fine',
      sizebytes: '-1',
      sha256: 'not-a-hash',
    });
    assert.deepEqual([odd?.status, odd?.sizeBytes, odd?.sha256], [null, null, null]);
  });
});
