import type { OrchestrationContext } from 'durable-functions';
import { recordAuditActivity } from '../../functionNames';
import type { AuditActor, AuditEntry } from '../../domain/auditEntry';
import { auditEntryOf, auditRetry } from '../auditTrail';
import { DurableWork } from '../durableSteps';
import type { Flow } from '../durableSteps';
import { publishedRotationStatus } from './publishedRotationStatus';
import type { RotationInput, RotationOutcome, RotationPhase, RotationStatus } from '../rotationModel';

/**
 * The context every phase of a rotation shares: the durable context, the input and the status a
 * person reads. A rotation is not aborted from outside: once a new value is written it must reach
 * every consumer, or the previous one must come back.
 */
export class RotationFlow extends DurableWork {
  #audited = 0;

  constructor(
    context: OrchestrationContext,
    readonly input: RotationInput,
    readonly status: RotationStatus,
  ) {
    super(context, input.rotationId);
  }

  /** Shows the status to people, within Azure's custom status limit (the output keeps all of it). */
  publish(): void {
    this.context.df.setCustomStatus(publishedRotationStatus(this.status));
  }

  enter(phase: RotationPhase): void {
    this.status.phase = phase;
    this.publish();
  }

  end(outcome: RotationOutcome, reason: string, urgent = false): RotationStatus {
    Object.assign(this.status, { phase: 'done', outcome, reason, ...(urgent ? { urgent } : {}) });
    this.publish();
    return this.status;
  }

  /**
   * Writes an entry of the audit trail about the secret, best effort: one that cannot be written after
   * a few tries is dropped (the activity logs why), and the rotation goes on as it would have.
   */
  *audit(entry: Pick<AuditEntry, 'action' | 'outcome' | 'detail'>): Flow {
    const { secret, rotationId, requestedBy } = this.input;
    const by: AuditActor =
      requestedBy.via === 'person'
        ? { kind: 'person', name: requestedBy.by }
        : {
            kind: 'schedule',
            name: requestedBy.via === 'event' ? 'Key Vault near-expiry event' : 'daily secret scan',
          };
    const written = auditEntryOf(this.context, ++this.#audited, {
      ...entry,
      subject: { kind: 'secret', name: secret.name },
      by,
      operation: { kind: 'rotation', id: rotationId },
    });
    try {
      yield* this.step(recordAuditActivity, [written], auditRetry);
    } catch {
      // Logged by the activity; the rotation stands either way.
    }
  }
}
