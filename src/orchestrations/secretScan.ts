import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import {
  inspectSecretActivity,
  requestRotationActivity,
  tellExpiryActivity,
  recordAuditActivity,
} from '../functionNames';
import type { SecretState } from '../activities/inspectSecret';
import type { TellExpiryInput } from '../activities/tellExpiry';
import { decideExpiryNotice } from '../domain/expiryNotice';
import { decideRotation } from '../domain/rotationDue';
import { rotationInstanceId } from '../domain/rotationId';
import type { RotationStart } from '../secretControl';
import type { ManagedSecret } from '../secretSettings';
import { auditEntryOf, auditRetry } from './auditTrail';
import { DurableWork } from './durableSteps';
import type { Flow } from './durableSteps';
import type { SecretScanInput, SecretScanResult } from './secretScanModel';

const startWords: Record<RotationStart['outcome'], SecretScanResult['action']> = {
  started: 'rotationStarted',
  running: 'rotationRunning',
  duplicate: 'alreadyRotated',
};

/**
 * The daily look at every managed secret, the safety net for a lost near-expiry event: a secret
 * Shepherd rotates that is due (too old, expiring within 30 days, never expiring, never written) gets
 * its rotation; for a secret it cannot rotate, people are told as it nears expiry, each milestone
 * once. One secret that cannot be looked at does not stop the others.
 */
export const secretScan: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { secrets } = context.df.getInput<SecretScanInput>();
  const work = new DurableWork(context, context.df.instanceId);
  const results: SecretScanResult[] = [];
  for (const secret of secrets) {
    let result: SecretScanResult;
    try {
      result = yield* scanOne(work, secret);
    } catch (err) {
      result = {
        secret: secret.name,
        action: 'failed',
        detail: err instanceof Error ? err.message : String(err),
      };
    }
    results.push(result);
    context.df.setCustomStatus({ scanned: results.length, of: secrets.length });
  }
  return results;
};

function* scanOne(work: DurableWork, secret: ManagedSecret): Flow<SecretScanResult> {
  const now = work.now();
  const state = yield* work.step<SecretState>(inspectSecretActivity, { secret });
  if (secret.kind === 'manual') {
    if (state.version === null)
      return { secret: secret.name, action: 'nothingDue', detail: 'the secret has no version' };
    const notice = decideExpiryNotice(state.expiresOn, secret.noticeDays, state.told, now);
    if (!notice.tell) return { secret: secret.name, action: 'nothingDue', detail: notice.why };
    yield* work.step(tellExpiryActivity, {
      secret,
      version: state.version,
      expiresOn: state.expiresOn ?? '',
      milestone: notice.milestone,
      text: notice.text,
    } satisfies TellExpiryInput);
    yield* recordNotice(work, secret, `${notice.milestone}: ${notice.text}`);
    return { secret: secret.name, action: 'told', detail: `${notice.milestone}: ${notice.text}` };
  }
  const current =
    state.version === null ? undefined : { createdOn: state.createdOn ?? '', expiresOn: state.expiresOn };
  const due = decideRotation(current, secret.rotationDays, now);
  if (!due.due)
    return { secret: secret.name, action: 'nothingDue', detail: `next rotation at ${due.nextAt}` };
  const start = yield* work.step<RotationStart>(requestRotationActivity, {
    secret,
    rotationId: rotationInstanceId(secret.name, state.version),
    requestedBy: { via: 'schedule', by: 'shepherd', reason: due.why },
  });
  return {
    secret: secret.name,
    action: startWords[start.outcome],
    detail: `${start.rotationId}: ${due.why}`,
  };
}

/** Records in the audit trail that people were told of a secret's expiry; best effort. */
function* recordNotice(work: DurableWork, secret: ManagedSecret, detail: string): Flow {
  const entry = auditEntryOf(work.context, secretIndex(work, secret), {
    action: 'secret.expiryNotice',
    outcome: 'told',
    subject: { kind: 'secret', name: secret.name },
    by: { kind: 'schedule', name: 'daily secret scan' },
    detail,
  });
  try {
    yield* work.step(recordAuditActivity, [entry], auditRetry);
  } catch {
    // Logged by the activity; the notice was sent either way.
  }
}

/** The secret's place in the scan: one notice per secret per scan, so it numbers the entry. */
function secretIndex(work: DurableWork, secret: ManagedSecret): number {
  return work.context.df.getInput<SecretScanInput>().secrets.findIndex((s) => s.name === secret.name) + 1;
}
