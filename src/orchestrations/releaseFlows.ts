import type { OrchestrationHandler } from 'durable-functions';
import { release } from './release/release';

/**
 * The release flow of each orchestration version still in flight, keyed by the version at which it
 * came in (see `versionedFlow`). When a change to the release's phases could not replay an older
 * history, keep the old flow here under its version and add the new one under the new version.
 */
export const releaseFlows: Readonly<Record<string, OrchestrationHandler>> = { '1.0': release };
