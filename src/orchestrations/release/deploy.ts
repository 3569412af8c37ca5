import {
  deployToSlotActivity,
  readKnownGoodActivity,
  readProductionImageActivity,
} from '../../functionNames';
import { chooseRollbackImage } from '../../domain/knownGood';
import type { KnownGood } from '../../domain/knownGood';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';
import { stopPromotionOfImageTakenBack } from './promotion';

/**
 * Notes what production runs (what a rollback after the swap returns to) and points the staging slot
 * at the image: the pushed one, or for a rollback the newest known-good image production is not
 * already running.
 */
export function* deploy(flow: ReleaseFlow): Flow<PhaseResult> {
  const { input, status, target } = flow;
  flow.enter('deploying');
  if (input.kind === 'rollback') {
    const known = yield* flow.step<{ record: KnownGood; production: string | null }>(readKnownGoodActivity, {
      site: target.site,
    });
    // What this target takes back goes no further down the promotion chain, whatever else happens.
    const stopped = yield* stopPromotionOfImageTakenBack(flow, known.production);
    if (stopped !== undefined) flow.notes.push(stopped);
    const choice = chooseRollbackImage(known.record, known.production);
    if ('nothing' in choice) return { end: 'refused', reason: `nothing to roll back to: ${choice.nothing}` };
    status.image = choice.image;
    status.previousImage = known.production;
  } else {
    status.previousImage = yield* flow.step<string | null>(readProductionImageActivity, {
      site: target.site,
    });
  }
  flow.footprint.slotTouched = true;
  yield* flow.step(deployToSlotActivity, { ...flow.where, image: status.image });
  return undefined;
}
