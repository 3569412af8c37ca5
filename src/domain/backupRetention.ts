import type { BackupRecord } from './backupRecord';
import { isUsableBackup, newestFirst } from './backupRecord';
import type { CleanupItem } from './cleanupPlan';

/** One blob of the backup container, as its listing shows it. */
export interface BackupBlob {
  name: string;
  /** The blob's ETag: a delete is made only if the blob is still as it was planned. */
  etag: string;
  /** ISO 8601, UTC. */
  lastModified: string;
  /** What Shepherd recorded in its metadata; undefined for a blob Shepherd did not write as a backup. */
  record: BackupRecord | undefined;
  legalHold: boolean;
  /** When the blob's time-based immutability policy ends (ISO 8601); undefined when it has none. */
  immutableUntil: string | undefined;
}

/** The running work that needs backups, read from the task hub. */
export interface BackupsInUse {
  /** Running or waiting releases: each takes a backup just before its migrations and may restore it. */
  releases: { id: string; target: string; backup: string | undefined }[];
  /** Running restores, each reading one backup; undefined until the restore has said which. */
  restores: { id: string; backup: string | undefined }[];
}

/** How long each target keeps its backups (`database.backups.retentionDays`), by target name. */
export type RetentionDays = ReadonlyMap<string, number>;

const dayMs = 86_400_000;
/** A backup is verified minutes after its upload; a day leaves room for the slowest, and for retries. */
const verifyingDays = 1;
/** A failed verification is kept a day, so people can look at why before it goes. */
const failedDays = 1;

/**
 * What the backup cleanup does with each blob of the backup container, and why. Backups older than
 * their target's retention go, except the newest verified backup of each database, which is kept
 * whatever its age, and any backup a running release or restore needs. Failed verifications go after
 * a day; unverified uploads are kept while they may be verifying. Blobs under a legal hold or an
 * immutability policy, blobs that are not Shepherd's backups, and backups of targets no longer
 * configured are reported and left alone.
 */
export function planBackupRetention(
  blobs: readonly BackupBlob[],
  retention: RetentionDays,
  inUse: BackupsInUse,
  now: Date,
): CleanupItem[] {
  const kept = reasonsToKeep(blobs, inUse);
  return [...blobs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((blob) => withHolds(blob, decide(blob, retention, kept, now), now));
}

type Decision = Pick<CleanupItem, 'action' | 'reasons'>;

function decide(
  blob: BackupBlob,
  retention: RetentionDays,
  kept: Map<string, string[]>,
  now: Date,
): Decision {
  const { record } = blob;
  if (record === undefined)
    return { action: 'report', reasons: ['no backup metadata: not a Shepherd backup, so never deleted'] };
  const days = retention.get(record.target);
  if (days === undefined)
    return {
      action: 'report',
      reasons: [`the target ${record.target} has no database in the targets file, so no retention applies`],
    };
  const needed = kept.get(blob.name);
  if (needed) return { action: 'keep', reasons: needed };
  const age = (now.getTime() - timeOf(record.takenAt, blob.lastModified)) / dayMs;
  if (record.status === 'verificationFailed') {
    const failedAge = (now.getTime() - timeOf(record.verifiedAt, blob.lastModified)) / dayMs;
    return failedAge >= failedDays
      ? { action: 'delete', reasons: ['its verification failed more than a day ago'] }
      : { action: 'keep', reasons: ['its verification failed less than a day ago; it goes after a day'] };
  }
  if (record.status !== 'verified' && age < verifyingDays)
    return { action: 'keep', reasons: ['not verified yet: it may be verifying now'] };
  const unverified = record.status === 'verified' ? '' : 'never verified, ';
  return age > days
    ? { action: 'delete', reasons: [`${unverified}older than the ${days}-day retention`] }
    : { action: 'keep', reasons: [`${unverified}within the ${days}-day retention`] };
}

/**
 * Why each needed backup is kept: the newest verified backup of every database, the backups running
 * releases took or named, the newest backup of each database of a target with a running release (its
 * own may be verifying), and the backups running restores read.
 */
function reasonsToKeep(blobs: readonly BackupBlob[], inUse: BackupsInUse): Map<string, string[]> {
  const kept = new Map<string, string[]>();
  const keep = (name: string, reason: string): void => {
    kept.set(name, [...(kept.get(name) ?? []), reason]);
  };
  const records = newestFirst(blobs.flatMap((b) => (b.record ? [b.record] : [])));
  const newestVerified = new Set<string>();
  const newest = new Set<string>();
  for (const record of records) {
    const database = `${record.target}/${record.database}`;
    if (!newest.has(database)) {
      newest.add(database);
      for (const release of inUse.releases.filter((r) => r.target === record.target))
        keep(record.name, `the newest backup of ${database} while ${release.id} runs`);
    }
    if (isUsableBackup(record) && !newestVerified.has(database)) {
      newestVerified.add(database);
      keep(record.name, `the newest verified backup of ${database}: always kept, whatever its age`);
    }
    for (const release of inUse.releases)
      if (record.releaseId === release.id || record.name === release.backup)
        keep(record.name, `taken before ${release.id}, which is still running`);
  }
  for (const { id, backup } of inUse.restores) {
    if (backup !== undefined) keep(backup, `restore ${id} is reading it`);
    // A restore that has just started has not said which backup it reads yet: any could be it.
    else for (const record of records) keep(record.name, `restore ${id} has just started and may read it`);
  }
  return kept;
}

/** Azure refuses to delete a held blob, so a held blob is reported, with what retention alone would do. */
function withHolds(blob: BackupBlob, decision: Decision, now: Date): CleanupItem {
  const holds = [
    ...(blob.legalHold ? ['under a legal hold'] : []),
    ...(blob.immutableUntil !== undefined && Date.parse(blob.immutableUntil) > now.getTime()
      ? [`under an immutability policy until ${blob.immutableUntil}`]
      : []),
  ];
  const item: CleanupItem = {
    id: `backup:${blob.name}`,
    what: describe(blob),
    ...decision,
    detail: { blob: blob.name },
  };
  if (holds.length === 0)
    return decision.action === 'delete' ? { ...item, detail: { blob: blob.name, etag: blob.etag } } : item;
  const otherwise =
    decision.action === 'delete'
      ? decision.reasons.map((r) => `would otherwise be deleted: ${r}`)
      : decision.reasons;
  return { ...item, action: 'report', reasons: [...holds, ...otherwise] };
}

function describe(blob: BackupBlob): string {
  const { record } = blob;
  if (record === undefined) return `blob ${blob.name}`;
  const taken = record.releaseId === null ? 'on demand' : `before ${record.releaseId}`;
  return `backup of ${record.target}/${record.database} taken ${record.takenAt} ${taken} (${record.status ?? 'status unknown'})`;
}

/** A recorded time, or the blob's last change when the record's is missing or unreadable. */
function timeOf(recorded: string | null, lastModified: string): number {
  const time = recorded === null ? NaN : Date.parse(recorded);
  return Number.isNaN(time) ? Date.parse(lastModified) : time;
}
