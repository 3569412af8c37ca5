import type { BackupSummary } from '../activities/takeBackup';
import type { Target } from '../config';

/** What an on-demand backup is started with: a snapshot of the target, and who asked. */
export interface BackupRequest {
  target: Target;
  requestedBy: string;
}

export type BackupPhase = 'backingUp' | 'done';

/** The backup's custom status: where it stands, and what it made or why it failed. */
export interface BackupStatus {
  target: string;
  requestedBy: string;
  phase: BackupPhase;
  outcome?: 'succeeded' | 'failed';
  reason?: string;
  backup?: BackupSummary;
}

/** A verified backup as the audit trail tells it. */
export function backupDetail(backup: BackupSummary): string {
  return `${backup.name}: ${backup.sizeBytes} bytes, verified, SHA-256 ${backup.sha256}`;
}
