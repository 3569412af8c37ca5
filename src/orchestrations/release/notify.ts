import { notifyPeopleActivity } from '../../activities/notifyPeople';
import type { RetryPolicy } from '../../domain/retryPlan';
import { releaseNotice } from '../releaseNotice';
import { ReleaseAborted } from './flow';
import type { Flow, ReleaseFlow } from './flow';

/** A notice is worth a few tries; a webhook down for longer is the channel's problem, not the release's. */
const noticeRetry: RetryPolicy = { maxAttempts: 3, firstDelayMs: 5_000, maxDelayMs: 30_000, jitter: 0.2 };

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
