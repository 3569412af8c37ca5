import { performance } from 'node:perf_hooks';
import { BlobServiceClient } from '@azure/storage-blob';
import { dumpToBlob } from '../src/azure/backupDump';
import { BlobBackupStore } from '../src/azure/backupStore';
import { verifyBackup } from '../src/azure/backupVerification';
import type { PgConnection } from '../src/azure/postgresConnection';
import type { PgTools } from '../src/azure/postgresTools';
import type { BackupRecord } from '../src/domain/backupRecord';

/** What the benchmark hands this process, in the environment (it holds a password and a connection string). */
export interface BackupChildJob {
  connection: PgConnection;
  tools: PgTools;
  storage: string;
  container: string;
  name: string;
}

/** What this process reports back on stdout, as one JSON line. */
export interface BackupChildReport {
  uploadSeconds: number;
  verifySeconds: number;
  sizeBytes: number;
  verified: boolean;
  maxRssMb: number;
}

export const backupChildJobVariable = 'SHEPHERD_BENCH_BACKUP_JOB';

/**
 * One backup in a process of its own, so that its peak memory is the upload's: pg_dump streamed into
 * Blob storage, then read back and verified, as the backup activity does.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.env[backupChildJobVariable] ?? '') as BackupChildJob;
  const store = new BlobBackupStore(BlobServiceClient.fromConnectionString(job.storage), job.container);
  const record: BackupRecord = {
    name: job.name,
    target: 'bench',
    database: job.connection.database,
    takenAt: new Date().toISOString(),
    releaseId: null,
    image: null,
    status: 'uploaded',
    sizeBytes: null,
    sha256: null,
    pgDumpVersion: '',
    serverVersion: '',
    verifiedAt: null,
    reason: null,
  };
  const started = performance.now();
  const digest = await dumpToBlob({ tools: job.tools, connection: job.connection, store, record });
  const uploaded = performance.now();
  const verification = await verifyBackup({ tools: job.tools, store, record: { ...record, ...digest } });
  const verified = performance.now();
  const report: BackupChildReport = {
    uploadSeconds: (uploaded - started) / 1000,
    verifySeconds: (verified - uploaded) / 1000,
    sizeBytes: digest.sizeBytes,
    verified: verification.ok,
    // resourceUsage reports kilobytes.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
