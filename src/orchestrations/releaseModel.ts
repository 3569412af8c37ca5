import type { Target } from '../config';
import type { WindowJudgement } from '../domain/canaryWindow';
import type { SevereFaultFinding } from '../domain/severeFault';

/** The external event that stops a running release: a person's rollback, or an Azure Monitor alert. */
export const abortEvent = 'abort';
/** The external event that answers a release waiting for a person's approval. */
export const approvalEvent = 'approval';

/** Who stopped a release, and why. */
export interface AbortRequest {
  by: string;
  reason: string;
  /** Set when a newer release of the same target stopped this one. */
  supersededBy?: string;
  /** Set when an Azure Monitor alert stopped it: the alert rule that fired (its id when it names no rule). */
  alertRule?: string;
}

/** A person's answer to a release that waits for approval. */
export interface ApprovalAnswer {
  approved: boolean;
  by: string;
  reason?: string;
}

/**
 * What a release is started with: a snapshot, so replays never see settings change under them. A
 * `push` releases a pushed image; a `rollback` puts the target's last known good image back (a
 * person's rollback when no release was running to abort).
 */
export type ReleaseInput = PushRelease | RollbackRelease;

/**
 * The target as a release input keeps it. A notification webhook URL carries its own secret, and
 * durable inputs are stored in history, so it is left out; the notifying activity reads it from the settings.
 */
export function targetSnapshot(target: Target): Target {
  return { ...target, notifications: { webhooks: [] } };
}

/** One release of a promotion chain: the target it ran on and its id. */
export interface PromotionLink {
  target: string;
  releaseId: string;
}

export interface PushRelease {
  kind: 'push';
  releaseId: string;
  target: Target;
  /** The image to release, pinned by digest: `registry/repository:tag@sha256:…`. */
  image: string;
  tag: string;
  digest: string;
  /** Whether a freeze held the target when the push came: the release is recorded and refused. */
  frozen: boolean;
  /** What froze it and how to release the image once the freeze lifts; absent in releases started before freezes had reasons. */
  frozenBecause?: string;
  /** Who asked for this attempt, and why, when a person started it rather than a push. */
  requestedBy?: AbortRequest;
  /** The release whose success handed this image on, when it came through the promotion chain. */
  promotedFrom?: PromotionLink;
}

export interface RollbackRelease {
  kind: 'rollback';
  releaseId: string;
  target: Target;
  requestedBy: AbortRequest;
}

export type ReleasePhase =
  | 'starting'
  | 'queued'
  | 'backingUp'
  | 'deploying'
  | 'warmingUp'
  | 'smokeTesting'
  | 'awaitingApproval'
  | 'canary'
  | 'promoting'
  | 'baking'
  | 'rollingBack'
  | 'done';

/**
 * How a release ended. `rollbackFailed`: it had to be taken back and could not be, or production
 * could not be shown to run the previous image; a person must look (the status is marked `urgent`).
 */
export type ReleaseOutcome =
  'succeeded' | 'rolledBack' | 'superseded' | 'rejected' | 'failed' | 'refused' | 'rollbackFailed';

/** One judged window, as the release status lists them. */
export interface WindowRecord extends WindowJudgement {
  step: number;
  trafficPercent: number;
  end: string;
  /** When the verdict was taken: at the window's end for a failure, after the metrics settled otherwise. */
  judgedAt: string;
  /**
   * The early verdict's numbers, when a severe fault cut the window short: the slot's user requests
   * and 5xx so far, the lower bound of its 5xx rate at `level`, probe rounds failed in a row, probes sent.
   */
  severeFault?: SevereFaultFinding & { probesSent: number };
}

/** The release's custom status: where it stands, and why it ended as it did. */
export interface ReleaseStatus {
  releaseId: string;
  kind: ReleaseInput['kind'];
  target: string;
  /** The image being released or put back; empty until a rollback has chosen it. */
  image: string;
  previousImage: string | null;
  phase: ReleasePhase;
  trafficPercent: number;
  /** The judged windows: all of them in the output; the custom status shows the latest (see `windowCount`). */
  windows: WindowRecord[];
  /** How many windows were judged, when the custom status shows only the latest. */
  windowCount?: number;
  /** Why the slot is not healthy yet, while it warms up. */
  warmUp?: { detail: string; at: string };
  /** When the swap into production was asked for and, once it was done, when it finished. */
  swap?: { startedAt: string; finishedAt?: string };
  /** The earlier releases of the target this one asked to stop, and waited for while they rolled back. */
  waitingFor?: string[];
  /** The verified backup taken before the image reached the slot, when the target has a database. */
  backup?: { name: string; sizeBytes: number; sha256: string };
  /** Who asked for a rollback, and why. */
  requestedBy?: AbortRequest;
  approval?: ApprovalAnswer & { at: string };
  /** Who stopped the release, and why. */
  abortedBy?: AbortRequest;
  /** The release of the previous target of the chain that handed this image on. */
  promotedFrom?: PromotionLink;
  /** The release of the next target of the chain this one handed its image on to, once started. */
  promotedTo?: PromotionLink;
  outcome?: ReleaseOutcome;
  reason?: string;
  /** Set when production needs a person now: the release could not be rolled back. */
  urgent?: boolean;
}
