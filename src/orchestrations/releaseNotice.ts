import { releaseAfterFreezeAction } from '../domain/freeze';
import type { Notice, NoticeAction, NoticeFact } from '../domain/notice';
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

/** The headline's words, shorter than the text's. */
const outcomeTitles: Record<NonNullable<ReleaseStatus['outcome']>, string> = {
  succeeded: 'succeeded',
  rolledBack: 'rolled back',
  superseded: 'superseded',
  rejected: 'rejected',
  failed: 'failed',
  refused: 'refused',
  rollbackFailed: 'could NOT be rolled back',
};

/**
 * The notice for a release that needs a person (waiting for approval) or has ended. The text leads
 * with target and image, which is what a channel of many apps is scanned for.
 */
export function releaseNotice(status: ReleaseStatus): ReleaseNotice {
  const what = `${status.target}: ${status.kind === 'rollback' ? 'rollback to ' : ''}${status.image || 'the known good image'}`;
  const waiting = status.phase === 'awaitingApproval';
  const text = waiting
    ? `${what} is healthy on its slot and waits for approval (POST /api/releases/${status.releaseId}/approve or /reject).`
    : `${what} ${status.outcome ? outcomeWords[status.outcome] : `is ${status.phase}`}${status.reason ? `: ${status.reason}` : ''}.`;
  const { releaseId, target, image, phase, outcome, reason } = status;
  const urgent = status.urgent === true;
  const actions = releaseActions(status);
  return {
    text: urgent ? `URGENT: ${text}` : text,
    urgent,
    title: `${target}: ${status.kind === 'rollback' ? 'rollback' : 'release'} ${
      waiting ? 'waits for approval' : outcome ? outcomeTitles[outcome] : phase
    }`,
    facts: releaseFacts(status),
    ...(actions.length > 0 ? { actions } : {}),
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

function releaseFacts(status: ReleaseStatus): NoticeFact[] {
  return [
    { name: 'Target', value: status.target },
    { name: 'Image', value: status.image || 'the known good image' },
    ...(status.previousImage ? [{ name: 'Previous image', value: status.previousImage }] : []),
    { name: status.outcome ? 'Outcome' : 'Phase', value: status.outcome ?? status.phase },
    ...(status.reason ? [{ name: 'Reason', value: status.reason }] : []),
    { name: 'Release', value: status.releaseId },
  ];
}

function releaseActions(status: ReleaseStatus): NoticeAction[] {
  if (status.phase === 'awaitingApproval')
    return [
      { title: 'Approve', hint: `POST /api/releases/${status.releaseId}/approve` },
      { title: 'Reject', hint: `POST /api/releases/${status.releaseId}/reject` },
    ];
  if (status.outcome === 'refused' && status.kind === 'push')
    return [releaseAfterFreezeAction(status.target, '<tag or digest>')];
  return [];
}
