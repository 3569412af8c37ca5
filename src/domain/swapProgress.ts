/** One look at a swap in progress, as the swap activities report it. */
export interface SwapObservation {
  /** The image production runs now; null when it runs none Shepherd can read. */
  production: string | null;
  /** How Azure reports the swap operation. */
  progress: { state: 'running' } | { state: 'succeeded' } | { state: 'failed'; reason: string };
}

export type SwapVerdict = { state: 'done' } | { state: 'waiting' } | { state: 'failed'; reason: string };

/**
 * Whether a swap meant to put `image` in production is done, still going, or has failed. Done means
 * both that the operation has ended and that production runs the image: the image is what counts,
 * so a swap Azure reports as failed that still left production on the image is done, and one
 * reported as succeeded that left another image there has failed.
 */
export function judgeSwap(look: SwapObservation, image: string): SwapVerdict {
  const { production, progress } = look;
  if (progress.state === 'running') return { state: 'waiting' };
  if (production === image) return { state: 'done' };
  if (progress.state === 'failed') return { state: 'failed', reason: `the swap failed: ${progress.reason}` };
  return {
    state: 'failed',
    reason: `the swap ended, but production runs ${production ?? 'no image'}, not ${image}`,
  };
}
