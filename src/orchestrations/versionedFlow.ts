import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { flowVersionFor } from '../domain/orchestrationVersion';

/**
 * An orchestrator whose code changed across deploys: `flows` maps each orchestration version at
 * which it changed to the code instances of that version (and later ones, up to the next change) run.
 * An instance keeps the version it was created with (`context.df.version`), so a release in flight
 * when Shepherd is redeployed replays the code it started on while new ones run the new code. A flow
 * stays here until no instance of its versions is running (README, Deploying a new version).
 */
export function versionedFlow(flows: Readonly<Record<string, OrchestrationHandler>>): OrchestrationHandler {
  return function* (context: OrchestrationContext) {
    const version = context.df.version;
    const chosen = flowVersionFor(Object.keys(flows), version);
    const flow = chosen === undefined ? undefined : flows[chosen];
    if (!flow) {
      throw new Error(
        `No flow of this orchestrator runs version '${version ?? ''}': it was removed while an instance of it was in flight.`,
      );
    }
    return yield* flow(context);
  };
}
