import { z } from 'zod';

const windowSchema = z.object({
  step: z.number(),
  trafficPercent: z.number(),
  verdict: z.string(),
  slot: z.object({
    requests: z.number(),
    errorRate: z.number().nullish(),
    averageResponseMs: z.number().nullish(),
  }),
});

/** A release as `GET /api/releases/{id}` shows it: the parts the command line reads. */
export const releaseViewSchema = z.object({
  id: z.string(),
  runtimeStatus: z.string(),
  target: z.string().optional(),
  image: z.string().optional(),
  phase: z.string().optional(),
  trafficPercent: z.number().optional(),
  windows: z.array(windowSchema).optional(),
  windowCount: z.number().optional(),
  warmUp: z.object({ detail: z.string() }).optional(),
  waitingFor: z.array(z.string()).optional(),
  outcome: z.string().optional(),
  reason: z.string().optional(),
  urgent: z.boolean().optional(),
});

export type ReleaseView = z.infer<typeof releaseViewSchema>;

/** The durable runtime states of an instance that will not change again. */
const endedStates = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

/** Whether the release has ended, whichever way. */
export function hasEnded(view: ReleaseView): boolean {
  return endedStates.has(view.runtimeStatus);
}

/** Whether the release ended having done what it set out to do: its exit code is 0 then. */
export function hasSucceeded(view: ReleaseView): boolean {
  return view.runtimeStatus === 'Completed' && view.outcome === 'succeeded';
}
