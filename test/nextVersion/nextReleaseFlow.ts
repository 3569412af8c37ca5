import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { release } from '../../src/orchestrations/release/release';
import { releaseFlows } from '../../src/orchestrations/releaseFlows';

/**
 * The next Shepherd's release flow, as a later deploy would bring it: version 2.0 begins with a step
 * 1.0 never took (a zero-length durable timer), so a 1.0 history replayed through it would not match.
 */
const nextRelease: OrchestrationHandler = function* (context: OrchestrationContext) {
  yield context.df.createTimer(context.df.currentUtcDateTime);
  return yield* release(context);
};

// Added before Shepherd registers its functions, as the next deploy's own releaseFlows would list it.
(releaseFlows as Record<string, OrchestrationHandler>)['2.0'] = nextRelease;
