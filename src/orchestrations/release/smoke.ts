import { runSmokeChecksActivity } from '../../functionNames';
import type { Flow, ReleaseFlow } from './flow';
import type { PhaseResult } from './phase';

/** Calls the target's smoke checks on the slot; any that does not answer as expected ends the release. */
export function* smoke(flow: ReleaseFlow): Flow<PhaseResult> {
  flow.enter('smokeTesting');
  const result = yield* flow.step<{ failures: string[] }>(runSmokeChecksActivity, {
    ...flow.where,
    checks: flow.target.smokeChecks,
  });
  return result.failures.length > 0
    ? { end: 'failed', reason: `smoke checks failed: ${result.failures.join('; ')}` }
    : undefined;
}
