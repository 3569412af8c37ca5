import { lookAtConsumerActivity, switchConsumerActivity } from '../../functionNames';
import { judgeConsumer } from '../../domain/consumerCheck';
import type { ConsumerLook } from '../../domain/consumerCheck';
import type { Flow } from '../durableSteps';
import type { ConsumerCheck } from '../rotationModel';
import type { RotationFlow } from './rotationFlow';

/** How long consumers have to show they work on a new value. */
const verifyWithinMs = 10 * 60_000;
const pollMs = 15_000;

/**
 * Switches every consumer to the secret's latest version (their Key Vault references refreshed, and
 * the app started again on them, overlapped as a settings change does it), then proves each works on
 * `version`: references resolved to it, the app healthy, and for a two-role secret sessions on `role`.
 * Returns whether every consumer was proven in time; the status lists each one's state.
 */
export function* switchAndVerify(
  flow: RotationFlow,
  version: string,
  role: string | undefined,
): Flow<boolean> {
  const { consumers, secret } = flow.input;
  flow.enter('switching');
  for (const consumer of consumers) yield* flow.step(switchConsumerActivity, { consumer });
  flow.enter('verifying');
  const deadline = flow.now() + verifyWithinMs;
  for (;;) {
    const checks: ConsumerCheck[] = [];
    for (const consumer of consumers) {
      const look = yield* flow.step<ConsumerLook>(lookAtConsumerActivity, { consumer, secret, role });
      checks.push({ target: consumer.target, ...judgeConsumer(look, version) });
    }
    flow.status.consumers = checks;
    const verified = checks.every((c) => c.verified);
    if (verified) flow.status.verifiedAt = flow.nowIso();
    flow.publish();
    if (verified) return true;
    if (flow.now() >= deadline) return false;
    yield* flow.wait(flow.now() + pollMs);
  }
}
