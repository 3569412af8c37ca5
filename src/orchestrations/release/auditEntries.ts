import type { AuditActor } from '../../domain/auditEntry';
import type { AbortRequest, ReleaseInput, WindowRecord } from '../releaseModel';
import type { AuditNote } from './flow';

/** Who asked for a stop or a rollback: the alert whose rule fired, Shepherd (a newer release), or a person. */
export function actorOfRequest(request: AbortRequest): AuditActor {
  if (request.alertRule !== undefined) return { kind: 'alert', rule: request.alertRule };
  if (request.supersededBy !== undefined) return { kind: 'shepherd' };
  return { kind: 'person', name: request.by };
}

/** Who asked for the release: the push of its image, or whoever started this attempt or rollback. */
export function requesterOf(input: ReleaseInput): AuditActor {
  if (input.kind === 'rollback') return actorOfRequest(input.requestedBy);
  if (input.requestedBy !== undefined) return actorOfRequest(input.requestedBy);
  const { loginServer, repository } = input.target.registry;
  const reference = input.tag === '' ? `@${input.digest}` : `:${input.tag}`;
  return { kind: 'push', image: `${loginServer}/${repository}${reference}` };
}

/** The audit entry of a release's start. */
export function startedNote(input: ReleaseInput): AuditNote {
  const why = input.requestedBy === undefined ? '' : `: ${input.requestedBy.reason}`;
  const from =
    input.kind === 'push' && input.promotedFrom !== undefined
      ? `, promoted from ${input.promotedFrom.target} (${input.promotedFrom.releaseId})`
      : '';
  const what =
    input.kind === 'push' ? `release of ${input.image}${from}` : 'rollback to the last known good image';
  return { action: 'release.started', by: requesterOf(input), outcome: 'started', detail: `${what}${why}` };
}

/** The audit entry of a judged window: its verdict, with the numbers behind it. */
export function windowNote(window: WindowRecord): AuditNote {
  const where = window.step === 0 ? 'bake' : `step ${window.step} (${window.trafficPercent}%)`;
  return {
    action: 'release.window',
    by: { kind: 'shepherd' },
    outcome: window.verdict,
    detail: `${where}: ${window.reasons.join('; ') || window.verdict}${comparisonNumbers(window)}${severeNumbers(window)}`,
    at: Date.parse(window.judgedAt),
  };
}

/** A severe fault's numbers as the audit trail keeps them: the reason says the rule, these the evidence. */
function severeNumbers(window: WindowRecord): string {
  const found = window.severeFault;
  if (found === undefined) return '';
  const bound = found.lowerBound === undefined ? 'none' : found.lowerBound.toFixed(4);
  return ` (requests ${found.requests}, 5xx ${found.errors}, lower bound ${bound} at ${found.level}, probe rounds failed in a row ${found.probeFailuresInARow}, probes sent ${found.probesSent})`;
}

/** The comparison's figures, so that an entry shows why it passed or failed against production. */
function comparisonNumbers({ comparison, step }: WindowRecord): string {
  if (!comparison) return '';
  const figures: string[] = [];
  // A bake (step 0) compares production with itself before the swap; a canary step at 100% with its earlier windows.
  const baseline = comparison.baseline ? (step === 0 ? ', before the swap' : ', its earlier windows') : '';
  if (comparison.excess5xxAtLeast !== undefined)
    figures.push(
      `5xx over production at least ${(comparison.excess5xxAtLeast * 100).toFixed(2)} points (${comparison.confidence * 100}% confidence${baseline})`,
    );
  if (comparison.responseTimeRatio !== undefined)
    figures.push(
      `response time ${comparison.responseTimeRatio}× production’s over ${comparison.responseTimeMinutes} minutes`,
    );
  return figures.length === 0 ? '' : ` [${figures.join('; ')}]`;
}
