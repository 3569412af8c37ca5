import { readKnownGoodActivity, recordKnownGoodActivity } from '../../functionNames';
import { afterRollback, afterSuccessfulRelease } from '../../domain/knownGood';
import type { KnownGood } from '../../domain/knownGood';
import { ReleaseAborted } from './flow';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';

/**
 * Records the image production now runs as known good, in the site's tags, keeping the record it
 * replaces in case the release is still rolled back. Production is already right, so a record that
 * cannot be written is reported in the release's reason rather than rolled back.
 */
export function* record(flow: ReleaseFlow): Flow<PhaseResult> {
  const { input, status, target, footprint } = flow;
  const site = target.site;
  try {
    const known = yield* flow.step<{ record: KnownGood }>(readKnownGoodActivity, { site });
    footprint.knownGoodBefore = known.record;
    const next =
      input.kind === 'push'
        ? afterSuccessfulRelease(known.record, status.image, status.previousImage)
        : afterRollback(status.image);
    yield* flow.step(recordKnownGoodActivity, { site, record: next });
  } catch (err) {
    if (err instanceof ReleaseAborted) throw err;
    flow.notes.push(
      `it could not be recorded as known good: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return undefined;
}
