import { lookAtConsumerActivity, roleSessionsActivity, switchConsumerActivity } from '../../functionNames';
import type { ConsumerLook } from '../../domain/consumerCheck';
import type { PostgresRoleSecret } from '../../secretSettings';
import type { Flow } from '../durableSteps';
import type { RotationFlow } from './rotationFlow';

/** How long a rotation waits for sessions on the role it must change to go, before it switches laggards. */
const patienceMs = 5 * 60_000;
/** How long it waits in all before it stops, changing nothing. */
const deadlineMs = 15 * 60_000;
const pollMs = 30_000;

/**
 * Makes sure no consumer still uses `role`, the role whose password is about to change: a role's
 * password never changes under a live consumer. Sessions on it usually end on their own (pools
 * recycle); after a while, the consumers whose references are still behind the current version (an
 * app never started again since the last rotation) are switched to it; if sessions remain, the
 * rotation stops with nothing changed. Returns why it must stop, or undefined to go on.
 */
export function* clearRole(
  flow: RotationFlow,
  secret: PostgresRoleSecret,
  role: string,
  currentVersion: string | null,
): Flow<string | undefined> {
  const started = flow.now();
  let switched = false;
  for (;;) {
    const { sessions } = yield* flow.step<{ sessions: number }>(roleSessionsActivity, { secret, role });
    if (sessions === 0) return undefined;
    const waited = flow.now() - started;
    if (waited >= deadlineMs)
      return `${sessions} session(s) still use role ${role} after ${deadlineMs / 60_000} min, so its password was not changed`;
    if (!switched && waited >= patienceMs && currentVersion !== null) {
      yield* switchLaggards(flow, currentVersion);
      switched = true;
    }
    yield* flow.wait(flow.now() + pollMs);
  }
}

/** Switches the consumers whose references are not on the current version to it. */
function* switchLaggards(flow: RotationFlow, currentVersion: string): Flow {
  for (const consumer of flow.input.consumers) {
    const look = yield* flow.step<ConsumerLook>(lookAtConsumerActivity, {
      consumer,
      secret: flow.input.secret,
    });
    if (look.references.some((r) => r.activeVersion !== currentVersion))
      yield* flow.step(switchConsumerActivity, { consumer });
  }
}
