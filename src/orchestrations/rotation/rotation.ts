import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import {
  earlierRotationsActivity,
  notifyPeopleActivity,
  inspectSecretActivity,
  restoreSecretVersionActivity,
  writeSecretValueActivity,
} from '../../functionNames';
import type { SecretState } from '../../activities/inspectSecret';
import type { WriteSecretValueInput } from '../../activities/writeSecretValue';
import { nextRole } from '../../domain/rotationRoles';
import type { RoleTurn } from '../../domain/rotationRoles';
import type { RetryPolicy } from '../../domain/retryPlan';
import type { Flow } from '../durableSteps';
import type { RotationInput, RotationStatus } from '../rotationModel';
import { rotationNotice } from '../rotationNotice';
import { clearRole } from './clearRole';
import { RotationFlow } from './rotationFlow';
import { switchAndVerify } from './switchConsumers';

/** Putting the previous value back is worth trying for minutes: a consumer may be left without one. */
const restoreRetry: RetryPolicy = { maxAttempts: 8, firstDelayMs: 5_000, maxDelayMs: 120_000, jitter: 0.2 };

/**
 * One rotation of one managed secret: look at the current version; for a two-role secret, make sure
 * no consumer still uses the role not in use; write the new value (made, applied and proven inside
 * one activity, so it never travels through the orchestration); switch every consumer to it and prove
 * each works on it. A consumer that does not verify brings the previous value back (for two roles,
 * the role in use still works), and people are told. Nothing is left half-done.
 */
export const rotation: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<RotationInput>();
  const flow = new RotationFlow(context, input, {
    rotationId: input.rotationId,
    secret: input.secret.name,
    kind: input.secret.kind,
    phase: 'inspecting',
    requestedBy: input.requestedBy,
    consumers: [],
  });
  yield* flow.audit({ action: 'rotation.started', outcome: 'started', detail: input.requestedBy.reason });
  yield* rotate(flow);
  const { outcome = 'failed', reason = '' } = flow.status;
  yield* flow.audit({ action: 'rotation.ended', outcome, detail: reason });
  // A rotation that left the work to an earlier one has nothing to tell: that one tells its own end.
  if (outcome !== 'rotated' && flow.status.deferredTo === undefined) yield* tellPeople(flow);
  return flow.status;
};

function* rotate(flow: RotationFlow): Flow {
  const { secret, rotationId, requestedBy } = flow.input;
  const { status } = flow;
  let state: SecretState;
  let turn: RoleTurn | undefined;
  try {
    flow.enter('inspecting');
    // Two rotations of one secret at once would each move its consumers: the younger one stops here.
    const earlier = yield* flow.step<string[]>(earlierRotationsActivity, { secret: secret.name, rotationId });
    const [first] = earlier;
    if (first !== undefined) {
      status.deferredTo = first;
      flow.end(
        'refused',
        `${earlier.join(', ')} of ${secret.name} started first and still runs: nothing was changed`,
      );
      return;
    }
    state = yield* flow.step<SecretState>(inspectSecretActivity, { secret });
    status.previousVersion = state.version;
    if (secret.kind === 'postgresRole') {
      turn = nextRole(secret.postgres.roles, state.role);
      status.role = turn.next;
      flow.enter('clearingRole');
      const refusal = yield* clearRole(flow, secret, turn.next, state.version);
      if (refusal !== undefined) {
        flow.end('refused', refusal);
        return;
      }
    }
    flow.enter('writing');
    const written = yield* flow.step<{ version: string }>(writeSecretValueActivity, {
      secret,
      role: turn?.next,
      rotationId,
      requestedBy,
      writtenAt: flow.nowIso(),
    } satisfies WriteSecretValueInput);
    status.version = written.version;
  } catch (err) {
    const why = `the rotation could not be done: ${messageOf(err)}`;
    // A write that failed part way may still have left a new version, which consumers would pick up
    // unproven within a day: then the previous one is put back as for a consumer that did not verify.
    if (status.phase === 'writing' && (yield* leftANewVersion(flow, status.previousVersion ?? null)))
      yield* putPreviousBack(flow, status.previousVersion ?? null, turn?.inUse, why);
    else flow.end('failed', `${why}; nothing was changed`);
    return;
  }
  let why: string;
  try {
    if (yield* switchAndVerify(flow, status.version, turn?.next)) {
      flow.end('rotated', `every consumer works on version ${status.version}`);
      return;
    }
    why = `not every consumer was proven on version ${status.version}: ${unverified(status)}`;
  } catch (err) {
    why = `the consumers could not be switched: ${messageOf(err)}`;
  }
  yield* putPreviousBack(flow, state.version, turn?.inUse, why);
}

/** Whether the secret's current version is no longer the one the rotation began from. */
function* leftANewVersion(flow: RotationFlow, previous: string | null): Flow<boolean> {
  try {
    const now = yield* flow.step<SecretState>(inspectSecretActivity, { secret: flow.input.secret });
    return now.version !== previous;
  } catch {
    // Key Vault cannot be read: what the write left cannot be known, so it is treated as written.
    return true;
  }
}

/** Makes the version that was current before the rotation current again, and proves the consumers on it. */
function* putPreviousBack(
  flow: RotationFlow,
  previous: string | null,
  previousRole: string | undefined,
  why: string,
): Flow {
  const { secret, rotationId } = flow.input;
  if (previous === null) {
    flow.end('failed', `${why}; there is no earlier version to put back`, true);
    return;
  }
  try {
    flow.enter('restoring');
    const restored = yield* flow.step<{ version: string }>(
      restoreSecretVersionActivity,
      { secret, version: previous, role: previousRole, rotationId, restoredAt: flow.nowIso() },
      restoreRetry,
    );
    if (yield* switchAndVerify(flow, restored.version, previousRole)) {
      flow.end(
        'restored',
        `${why}; the previous value is current again (version ${restored.version}) and works`,
      );
      return;
    }
    flow.end(
      'failed',
      `${why}; the previous value was put back, but not every consumer works on it: ${unverified(flow.status)}`,
      true,
    );
  } catch (err) {
    flow.end('failed', `${why}; the previous value could not be put back: ${messageOf(err)}`, true);
  }
}

/** Tells the people of every consumer how the rotation ended; best effort. */
function* tellPeople(flow: RotationFlow): Flow {
  const notice = rotationNotice(flow.status);
  for (const consumer of flow.input.consumers) {
    try {
      yield* flow.step(notifyPeopleActivity, { target: consumer.target, notice });
    } catch {
      // The rotation's own status, and the audit, say everything the notice would have.
    }
  }
}

function unverified(status: RotationStatus): string {
  return status.consumers
    .filter((c) => !c.verified)
    .map((c) => `${c.target}: ${c.detail}`)
    .join('; ');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
