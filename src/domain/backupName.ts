/** What a backup is of and when it was taken; its blob name is made from these. */
export interface BackupOrigin {
  target: string;
  database: string;
  takenAt: Date;
  /** The release the backup was taken before; null for a backup taken on demand. */
  releaseId: string | null;
}

/**
 * The blob name of a backup: `<target>/<database>/<UTC time>_<release id or on-demand>.dump`, e.g.
 * `web/appdb/20250102T030405.678Z_release-web-0a1b2c.dump`. The time is ISO 8601's basic form, so names
 * of one database sort by time, and milliseconds keep two quick on-demand backups apart.
 */
export function backupBlobName(origin: BackupOrigin): string {
  const stamp = origin.takenAt.toISOString().replace(/[-:]/g, '');
  const label = origin.releaseId === null ? 'on-demand' : toNamePart(origin.releaseId);
  return `${backupPrefix(origin.target)}${toNamePart(origin.database)}/${stamp}_${label}.dump`;
}

/** The prefix every backup of `target` starts with. */
export function backupPrefix(target: string): string {
  return `${toNamePart(target)}/`;
}

/** Whether `name` is one of `target`'s backups, so a restore cannot reach another target's. */
export function isBackupOf(target: string, name: string): boolean {
  return name.startsWith(backupPrefix(target)) && !name.includes('..');
}

/** Release ids hold colons; blob names are easier to read and to put in a URL without them. */
function toNamePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/**
 * A database name Shepherd creates, restores into and puts in blob names: a plain identifier that
 * needs no quoting surprises and that libpq can never mistake for a connection string.
 */
export const plainDatabaseName = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
