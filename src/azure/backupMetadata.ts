import type { BackupRecord, BackupStatus } from '../domain/backupRecord';

/**
 * Blob metadata holding a BackupRecord. Keys are lowercase letters (metadata keys are C# identifiers
 * and case-insensitive); values are printable ASCII, as HTTP headers carry them. The name is the
 * blob's own, so it is not repeated.
 */
export function toBackupMetadata(record: BackupRecord): Record<string, string> {
  const metadata: Record<string, string> = {
    target: record.target,
    database: record.database,
    takenat: record.takenAt,
    pgdumpversion: record.pgDumpVersion,
    serverversion: record.serverVersion,
  };
  const optional: [string, string | number | null][] = [
    ['releaseid', record.releaseId],
    ['image', record.image],
    ['status', record.status],
    ['sizebytes', record.sizeBytes],
    ['sha256', record.sha256],
    ['verifiedat', record.verifiedAt],
    ['reason', record.reason],
  ];
  for (const [key, value] of optional) if (value !== null) metadata[key] = toHeaderValue(String(value));
  return metadata;
}

/** The BackupRecord of blob `name`, or undefined for a blob Shepherd did not write as a backup. */
export function fromBackupMetadata(
  name: string,
  metadata: Record<string, string> | undefined,
): BackupRecord | undefined {
  const m = lowercaseKeys(metadata ?? {});
  if (m.target === undefined || m.database === undefined || m.takenat === undefined) return undefined;
  const size = m.sizebytes === undefined ? NaN : Number(m.sizebytes);
  return {
    name,
    target: m.target,
    database: m.database,
    takenAt: m.takenat,
    releaseId: m.releaseid ?? null,
    image: m.image ?? null,
    status: toStatus(m.status),
    sizeBytes: Number.isSafeInteger(size) && size >= 0 ? size : null,
    sha256: m.sha256 !== undefined && /^[0-9a-f]{64}$/.test(m.sha256) ? m.sha256 : null,
    pgDumpVersion: m.pgdumpversion ?? '',
    serverVersion: m.serverversion ?? '',
    verifiedAt: m.verifiedat ?? null,
    reason: m.reason ?? null,
  };
}

const statuses: readonly BackupStatus[] = ['uploaded', 'verified', 'verificationFailed'];

function toStatus(value: string | undefined): BackupStatus | null {
  return statuses.find((s) => s === value) ?? null;
}

/** Storage keeps a key's case as written, but a key is the same key in any case. */
function lowercaseKeys(metadata: Record<string, string>): Partial<Record<string, string>> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Metadata values travel as HTTP headers: printable ASCII, and not too long. */
function toHeaderValue(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1000);
}
