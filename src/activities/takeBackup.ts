import type { InvocationContext } from '@azure/functions';
import type { BackupServices } from '../backupServices';
import type { Target } from '../config';
import { dumpToBlob } from '../azure/backupDump';
import { verifyBackup } from '../azure/backupVerification';
import type { PgConnection } from '../azure/postgresConnection';
import { redactedMessage } from '../azure/postgresSecrets';
import { readPgDumpVersion } from '../azure/postgresTools';
import type { PgTools } from '../azure/postgresTools';
import { backupBlobName, backupPrefix } from '../domain/backupName';
import type { BackupRecord } from '../domain/backupRecord';
import { reusableBackup } from '../domain/backupRecord';
import { decideDumpVersion } from '../domain/backupToolVersion';

export interface TakeBackupInput {
  target: Target;
  /** The release the backup is taken before; null or absent for a backup on demand. */
  releaseId?: string | null;
  /** The image the release brings, recorded with the backup. */
  image?: string | null;
  /**
   * When the orchestrator asked (`context.df.currentUtcDateTime`, ISO 8601). Given, a repeated activity
   * returns the verified backup it already took since then instead of taking another; absent, every
   * call takes a fresh backup.
   */
  requestedAt?: string | null;
}

/** A verified backup, as callers see it. */
export interface BackupSummary {
  /** The blob name, which names the backup for a restore. */
  name: string;
  target: string;
  database: string;
  takenAt: string;
  verifiedAt: string;
  sizeBytes: number;
  sha256: string;
  releaseId: string | null;
  image: string | null;
  pgDumpVersion: string;
  serverVersion: string;
}

/** A failed or unverified backup is a result with a credential-free reason, never a thrown error. */
export type TakeBackupResult = { ok: true; backup: BackupSummary } | { ok: false; reason: string };

/**
 * Backs up the target's database: `pg_dump --format=custom` streamed into Blob storage, then read back
 * and verified. Given `requestedAt`, a repeated activity returns the verified backup it took already.
 */
export function takeBackup(services: BackupServices) {
  return async (input: TakeBackupInput, context: InvocationContext): Promise<TakeBackupResult> => {
    const result = await backUp(services, input, context);
    if (result.ok) context.log(`backup ${result.backup.name} verified, ${result.backup.sizeBytes} bytes`);
    else context.warn(`no backup of ${input.target.name}: ${result.reason}`);
    return result;
  };
}

async function backUp(
  services: BackupServices,
  input: TakeBackupInput,
  context: InvocationContext,
): Promise<TakeBackupResult> {
  const { target } = input;
  const database = target.database;
  if (database === undefined) return { ok: false, reason: `the target ${target.name} has no database` };
  const releaseId = input.releaseId ?? null;
  const secrets: string[] = [];
  try {
    const requestedAt = input.requestedAt ?? null;
    if (requestedAt !== null) {
      const records = await services.store.list(backupPrefix(target.name));
      const earlier = reusableBackup(records, releaseId, requestedAt);
      if (earlier) return { ok: true, backup: toBackupSummary(earlier) };
    }
    const connection = await services.credentials.connectionTo(database);
    secrets.push(connection.password);
    const tools = services.tools();
    const versions = await readVersions(services, tools, connection);
    if ('refused' in versions) return { ok: false, reason: versions.refused };
    const takenAt = new Date();
    const record: BackupRecord = {
      name: backupBlobName({ target: target.name, database: database.name, takenAt, releaseId }),
      target: target.name,
      database: database.name,
      takenAt: takenAt.toISOString(),
      releaseId,
      image: input.image ?? null,
      status: 'uploaded',
      sizeBytes: null,
      sha256: null,
      ...versions,
      verifiedAt: null,
      reason: null,
    };
    context.log(`backing up ${target.name}'s database ${database.name} into ${record.name}`);
    const verified = await uploadAndVerify(services, tools, connection, record);
    if (verified.status !== 'verified')
      return {
        ok: false,
        reason: `the backup ${record.name} failed verification: ${verified.reason ?? ''}`,
      };
    return { ok: true, backup: toBackupSummary(verified) };
  } catch (err) {
    return { ok: false, reason: `the backup of ${database.name} failed: ${redactedMessage(err, secrets)}` };
  }
}

/** pg_dump's and the server's versions, or why this pg_dump must not dump this server. */
async function readVersions(
  services: BackupServices,
  tools: PgTools,
  connection: PgConnection,
): Promise<{ pgDumpVersion: string; serverVersion: string } | { refused: string }> {
  const [pgDump, server] = await Promise.all([readPgDumpVersion(tools), services.server.version(connection)]);
  const decision = decideDumpVersion(pgDump, server);
  return decision.ok
    ? { pgDumpVersion: pgDump.text, serverVersion: server.text }
    : { refused: decision.reason };
}

/** Dumps into the blob, records its size and hash, verifies it, and records the verdict on the blob. */
async function uploadAndVerify(
  services: BackupServices,
  tools: PgTools,
  connection: PgConnection,
  record: BackupRecord,
): Promise<BackupRecord> {
  const { store } = services;
  const uploaded = { ...record, ...(await dumpToBlob({ tools, connection, store, record })) };
  await store.record(uploaded);
  const verification = await verifyBackup({ tools, store, record: uploaded });
  const checked: BackupRecord = {
    ...uploaded,
    status: verification.ok ? 'verified' : 'verificationFailed',
    verifiedAt: new Date().toISOString(),
    reason: verification.ok ? null : verification.reason,
  };
  await store.record(checked);
  return checked;
}

function toBackupSummary(record: BackupRecord): BackupSummary {
  return {
    name: record.name,
    target: record.target,
    database: record.database,
    takenAt: record.takenAt,
    verifiedAt: record.verifiedAt ?? '',
    sizeBytes: record.sizeBytes ?? 0,
    sha256: record.sha256 ?? '',
    releaseId: record.releaseId,
    image: record.image,
    pgDumpVersion: record.pgDumpVersion,
    serverVersion: record.serverVersion,
  };
}
