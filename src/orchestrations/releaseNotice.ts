import type { Notice } from '../domain/notice';
import type { ReleaseStatus } from './releaseModel';

/** What a release's notice says: its line for a chat channel, and the release for scripts. */
export interface ReleaseNotice extends Notice {
  release: Pick<ReleaseStatus, 'releaseId' | 'target' | 'image' | 'phase' | 'outcome' | 'reason'>;
}

const outcomeWords: Record<NonNullable<ReleaseStatus['outcome']>, string> = {
  succeeded: 'is live',
  rolledBack: 'was rolled back',
  superseded: 'was superseded',
  rejected: 'was rejected',
  failed: 'failed',
  refused: 'was refused',
  rollbackFailed: 'could NOT be rolled back',
};

/**
 * The notice for a release that needs a person (waiting for approval) or has ended. The text leads
 * with target and image, which is what a channel of many apps is scanned for.
 */
export function releaseNotice(status: ReleaseStatus): ReleaseNotice {
  const what = `${status.target}: ${status.kind === 'rollback' ? 'rollback to ' : ''}${status.image || 'the known good image'}`;
  const text =
    status.phase === 'awaitingApproval'
      ? `${what} is healthy on its slot and waits for approval (POST /api/releases/${status.releaseId}/approve or /reject).`
      : `${what} ${status.outcome ? outcomeWords[status.outcome] : `is ${status.phase}`}${status.reason ? `: ${status.reason}` : ''}.`;
  const { releaseId, target, image, phase, outcome, reason } = status;
  const urgent = status.urgent === true;
  return {
    text: urgent ? `URGENT: ${text}` : text,
    urgent,
    release: {
      releaseId,
      target,
      image,
      phase,
      ...(outcome ? { outcome } : {}),
      ...(reason ? { reason } : {}),
    },
  };
}
