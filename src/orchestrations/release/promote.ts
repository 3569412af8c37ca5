import { clearTrafficRoutingActivity } from '../../functionNames';
import { forwardRetry } from './flow';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';
import { swapInto } from './swap';

/**
 * Swaps the slot into production. Routing rules live on production and outlast a swap, after which
 * the slot runs the old image, so they are removed first: from then until the swap completes every
 * user is served by production's (known good) image, and no rule ever sends one to the old image.
 * From the moment the swap is asked for, production may run the new image, and a rollback acts so.
 */
export function* promote(flow: ReleaseFlow): Flow<PhaseResult> {
  const { status, footprint, target } = flow;
  flow.enter('promoting');
  yield* flow.step(clearTrafficRoutingActivity, { site: target.site });
  status.trafficPercent = 0;
  footprint.swapStartedAt = flow.nowIso();
  status.swap = { startedAt: footprint.swapStartedAt };
  flow.publish();
  yield* swapInto(flow, status.image, forwardRetry, (operation) => {
    footprint.swapOperation = operation;
  });
  status.swap = { ...status.swap, finishedAt: flow.nowIso() };
  status.trafficPercent = 100;
  flow.publish();
  flow.audit({
    action: 'release.promoted',
    by: { kind: 'shepherd' },
    outcome: 'succeeded',
    detail: `swapped into production, which runs ${status.image}`,
  });
  return undefined;
}
