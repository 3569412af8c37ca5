import type { Target } from '../config';
import type { WindowJudgement } from '../domain/canaryWindow';

export const releaseOrchestrator = 'release';
/** The external event that stops a running release: a person's rollback, or an Azure Monitor alert. */
export const abortEvent = 'abort';

/** Who stopped a release, and why. */
export interface AbortRequest {
  by: string;
  reason: string;
}

/** What a release is started with: a snapshot, so replays never see settings change under them. */
export interface ReleaseInput {
  releaseId: string;
  target: Target;
  /** The image to release, pinned by digest: `registry/repository:tag@sha256:…`. */
  image: string;
  tag: string;
  digest: string;
  frozen: boolean;
}

export type ReleasePhase =
  | 'starting'
  | 'deploying'
  | 'warmingUp'
  | 'smokeTesting'
  | 'canary'
  | 'promoting'
  | 'baking'
  | 'rollingBack'
  | 'done';

export type ReleaseOutcome = 'succeeded' | 'rolledBack' | 'failed' | 'refused';

/** One judged window, as the release status lists them. */
export interface WindowRecord extends WindowJudgement {
  step: number;
  trafficPercent: number;
  end: string;
}

/** The release's custom status: where it stands, and why it ended as it did. */
export interface ReleaseStatus {
  releaseId: string;
  target: string;
  image: string;
  previousImage: string | null;
  phase: ReleasePhase;
  trafficPercent: number;
  windows: WindowRecord[];
  outcome?: ReleaseOutcome;
  reason?: string;
}
