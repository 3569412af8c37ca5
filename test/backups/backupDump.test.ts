import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { dumpToBlob } from '../../src/azure/backupDump';
import type { BackupStore } from '../../src/azure/backupStore';
import { locatePgTools } from '../../src/azure/postgresTools';
import type { BackupRecord } from '../../src/domain/backupRecord';
import { fakePgDump } from './fakePgTools';

const record: BackupRecord = {
  name: 'web/shop/20250102T030405.678Z_on-demand.dump',
  target: 'web',
  database: 'shop',
  takenAt: '2025-01-02T03:04:05.678Z',
  releaseId: null,
  image: null,
  status: 'uploaded',
  sizeBytes: null,
  sha256: null,
  pgDumpVersion: '15.18',
  serverVersion: '15.18',
  verifiedAt: null,
  reason: null,
};

const connection = {
  host: '127.0.0.1',
  port: 1,
  user: 'postgres',
  password: 'not-used-by-the-fake',
  database: 'shop',
  sslMode: 'disable' as const,
};

/** A store whose upload takes the first chunk of the body and then fails, as a storage outage would. */
function storeFailingAfterFirstChunk(): BackupStore {
  const fail = (): Promise<never> => Promise.reject(new Error('not used'));
  return {
    upload: (_record, body: Readable) =>
      new Promise((_resolve, reject) => {
        body.once('data', () => reject(new Error('upload the backup: 503 ServerBusy')));
      }),
    record: fail,
    open: fail,
    get: fail,
    list: fail,
  };
}

describe('dumpToBlob', () => {
  const real = locatePgTools({ binDir: undefined, searchPath: [] });

  it('stops a pg_dump that would write forever once the upload fails, and reports the upload failure', async () => {
    // Without the stop, this pg_dump never exits and dumpToBlob never settles.
    const tools = fakePgDump(real, 'exec /bin/cat /dev/zero');
    await assert.rejects(
      dumpToBlob({ tools, connection, store: storeFailingAfterFirstChunk(), record }),
      /upload the backup: 503 ServerBusy/,
    );
  });

  it('reports a pg_dump that cannot be started, rather than waiting for its output', async () => {
    const tools = { pgDump: '/nonexistent/pg_dump', pgRestore: real.pgRestore };
    const store: BackupStore = {
      ...storeFailingAfterFirstChunk(),
      // Reads the body to its end, which must come as the failure of pg_dump.
      upload: (_record, body: Readable) => finished(body.resume()),
    };
    await assert.rejects(
      dumpToBlob({ tools, connection, store, record }),
      /pg_dump of shop failed: spawn .*ENOENT/,
    );
  });
});
