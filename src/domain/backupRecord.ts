/**
 * Where a backup is in its life: `uploaded` once pg_dump finished and the blob was committed,
 * `verified` once pg_restore read it back and its SHA-256 matched, `verificationFailed` otherwise.
 */
export type BackupStatus = 'uploaded' | 'verified' | 'verificationFailed';

/** What Shepherd knows about one backup, kept in its blob's metadata. */
export interface BackupRecord {
  /** The blob name, which also names the backup in the API. */
  name: string;
  target: string;
  database: string;
  /** ISO 8601, UTC. */
  takenAt: string;
  releaseId: string | null;
  image: string | null;
  /** Unknown (null) until the status was written after the upload: a crash can leave a blob without it. */
  status: BackupStatus | null;
  sizeBytes: number | null;
  sha256: string | null;
  pgDumpVersion: string;
  serverVersion: string;
  verifiedAt: string | null;
  /** Why verification failed; credential-free. */
  reason: string | null;
}

/**
 * Whether a backup can be restored: only one that was verified, with its size and hash recorded. A
 * blob in any other state (a crash between upload and verification, a failed check) is not a backup.
 */
export function isUsableBackup(record: BackupRecord): boolean {
  return record.status === 'verified' && record.sha256 !== null && record.sizeBytes !== null;
}

/** Backups newest first, as listings show them; names break ties so the order is stable. */
export function newestFirst(records: readonly BackupRecord[]): BackupRecord[] {
  return [...records].sort((a, b) =>
    a.takenAt === b.takenAt ? b.name.localeCompare(a.name) : b.takenAt.localeCompare(a.takenAt),
  );
}

/**
 * The backup a repeated request can be given instead of taking another: usable, of the same release
 * (or on demand, for null), and taken at or after `since`, when the request was made. A backup from
 * before is never reused: a release id comes back when an old image is released again, and its old
 * backup would not hold today's data.
 */
export function reusableBackup(
  records: readonly BackupRecord[],
  releaseId: string | null,
  since: string,
): BackupRecord | undefined {
  const after = Date.parse(since);
  return newestFirst(records).find(
    (r) => r.releaseId === releaseId && isUsableBackup(r) && Date.parse(r.takenAt) >= after,
  );
}
