import type { ReleaseOutcome } from '../releaseModel';
import type { Flow, ReleaseFlow } from './flow';

/**
 * How a phase lets the release go on: `undefined` to carry on with the next phase, `end` to stop
 * with nothing to undo, `rollBack` to undo what the release changed (the reason says why).
 */
export type PhaseResult = undefined | { end: ReleaseOutcome; reason: string } | { rollBack: string };

/** One phase of a release: a small generator over the shared flow. */
export type Phase = (flow: ReleaseFlow) => Flow<PhaseResult>;

export const minutes = (n: number): number => n * 60_000;
