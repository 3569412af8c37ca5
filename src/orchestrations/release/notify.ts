import { notifyPeopleActivity } from '../../functionNames';
import { noticeRetry } from '../durableSteps';
import { releaseNotice } from '../releaseNotice';
import { ReleaseAborted } from './flow';
import type { Flow, ReleaseFlow } from './flow';

/**
 * Tells the target's people (its notification webhook, when it has one) that the release waits for
 * them or has ended. Best effort: a notice that cannot be delivered changes nothing in the release.
 */
export function* notify(flow: ReleaseFlow): Flow {
  try {
    yield* flow.step(
      notifyPeopleActivity,
      { target: flow.target.name, notice: releaseNotice(flow.status) },
      noticeRetry,
    );
  } catch (err) {
    if (err instanceof ReleaseAborted) throw err;
    // The release's own status says everything the notice would have.
  }
}
