/** What an audit entry is about: one target, one secret Shepherd looks after, an environment, or an Azure budget. */
export type AuditSubject = { kind: AuditSubjectKind; name: string };
export const auditSubjectKinds = ['target', 'secret', 'environment', 'budget', 'cleanup'] as const;
export type AuditSubjectKind = (typeof auditSubjectKinds)[number];

/**
 * Who or what asked for what an entry records: a person (the Easy Auth principal, or the holder of a
 * key when App Service authentication is off), an Azure Monitor alert (its rule), one of Shepherd's
 * schedules (by name), a push to a registry (`registry/repository:tag`), or Shepherd itself (a gate
 * it judged, a newer release that superseded an older one).
 */
export type AuditActor =
  | { kind: 'person'; name: string }
  | { kind: 'alert'; rule: string }
  | { kind: 'schedule'; name: string }
  | { kind: 'push'; image: string }
  | { kind: 'shepherd' };

/** What happened. */
export const auditActions = [
  'release.started',
  'release.window',
  'release.approval',
  'release.promoted',
  'release.promotion',
  'release.rollback',
  'release.ended',
  'backup.taken',
  'restore.started',
  'restore.ended',
  'rotation.started',
  'rotation.ended',
  'secret.expiryNotice',
  'budget.alert',
  'freeze.set',
  'freeze.lifted',
  'apps.stopped',
  'apps.started',
  'cleanup.ran',
  'drift.found',
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * How it came out: `started` for the start of something; a window's verdict (`pass`, `fail`,
 * `inconclusive`); a person's answer (`approved`, `rejected`); otherwise how the work ended.
 */
export const auditOutcomes = [
  'started',
  'succeeded',
  'failed',
  'refused',
  'rejected',
  'approved',
  'rolledBack',
  'superseded',
  'rollbackFailed',
  'rotated',
  'restored',
  'told',
  'pass',
  'fail',
  'inconclusive',
  'ignored',
  'frozen',
  'lifted',
  'stopped',
  'fixed',
  'reported',
] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

export const auditOperationKinds = ['release', 'rotation', 'backup', 'restore'] as const;

/** The durable work an entry belongs to, to follow it further (e.g. `GET /api/releases/{id}`). */
export interface AuditOperation {
  kind: (typeof auditOperationKinds)[number];
  id: string;
}

/**
 * One entry of the audit trail. Entries are read over HTTP by anyone with the function key, so no
 * field ever holds a secret, a token, a key or a connection string.
 */
export interface AuditEntry {
  /**
   * Made by the writer from something stable (its instance id and a counter), never at random: an
   * entry written twice with the same `id` and `at` (an activity retried) is one entry.
   */
  id: string;
  /** When it happened: ISO 8601, UTC. */
  at: string;
  action: AuditAction;
  subject: AuditSubject;
  by: AuditActor;
  outcome: AuditOutcome;
  /** A short, human explanation (at most `auditDetailLimit` characters). */
  detail: string;
  operation?: AuditOperation;
}

/** The longest detail kept: enough for a person's reason (1,000) and a little context. */
export const auditDetailLimit = 1200;

/** `text` cut to `auditDetailLimit` characters, with an ellipsis when cut. */
export function auditDetail(text: string): string {
  return text.length <= auditDetailLimit ? text : `${text.slice(0, auditDetailLimit - 1)}…`;
}
