import type { OrchestrationContext } from 'durable-functions';
import type { AuditEntry } from '../domain/auditEntry';
import { countCleanup } from '../domain/cleanupCounts';
import type { CleanupItem, CleanupPlan } from '../domain/cleanupPlan';
import { auditEntryOf, recordAuditBestEffort } from './auditTrail';
import { cleanupActivities, cleanupChunkOrchestrator, notifyPeopleActivity } from '../functionNames';
import type { CleanupChunkInput, CleanupInput, CleanupStatus, ItemOutcome } from './cleanupModel';
import { cutText } from './customStatusLimit';
import { driftNotice } from './driftNotice';
import { DurableWork, forwardRetry, noticeRetry, StepFailed } from './durableSteps';
import type { Flow } from './durableSteps';

/** Items one sub-orchestration carries out: its history stays small however long the plan is. */
const chunkSize = 100;
/** Failures the custom status lists; the output keeps them all. */
const failuresShown = 5;

/**
 * One cleanup run: plan (reading everything first; a listing that fails stops the run with nothing
 * changed), then carry out every `delete` and `fix` item in chunks, going on past a failed one, and
 * record the counts (done, kept by reason, reported, failed) in the status and the audit trail.
 */
export function* cleanup(context: OrchestrationContext): Flow<CleanupStatus> {
  const input = context.df.getInput<CleanupInput>();
  const work = new DurableWork(context, context.df.instanceId);
  const status: CleanupStatus = {
    kind: input.kind,
    phase: 'planning',
    requestedBy: input.requestedBy,
    counts: { done: 0, kept: {}, reported: 0, failed: 0 },
    failures: [],
  };
  const publish = (): void => {
    context.df.setCustomStatus({
      ...status,
      failures: status.failures
        .slice(0, failuresShown)
        .map((f) => ({ ...f, reason: cutText(f.reason, 200) })),
      ...(status.reported === undefined ? {} : { reported: status.reported.slice(0, failuresShown) }),
    });
  };
  publish();
  const { plan: planActivity } = cleanupActivities(input.kind);
  let plan: CleanupPlan;
  try {
    plan = yield* work.step<CleanupPlan>(planActivity, { now: work.nowIso() });
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    return yield* finish(
      context,
      status,
      publish,
      'failed',
      `nothing was changed: the plan could not be made (${err.message})`,
    );
  }
  const toDo = plan.items.filter((i) => i.action === 'delete' || i.action === 'fix');
  status.phase = 'carryingOut';
  status.counts = countCleanup(plan.items, []);
  if (input.kind === 'drift')
    status.reported = plan.items
      .filter((i) => i.action === 'report')
      .map(({ id, what, reasons }) => ({ id, what, reasons }));
  publish();
  const outcomes: ItemOutcome[] = [];
  for (let start = 0; start < toDo.length; start += chunkSize) {
    const chunk: CleanupChunkInput = { kind: input.kind, items: toDo.slice(start, start + chunkSize) };
    outcomes.push(
      ...((yield context.df.callSubOrchestrator(
        cleanupChunkOrchestrator,
        chunk,
        `${context.df.instanceId}:${start / chunkSize}`,
      )) as ItemOutcome[]),
    );
    status.counts = countCleanup(plan.items, outcomes);
    publish();
  }
  const byId = new Map(toDo.map((i) => [i.id, i]));
  status.failures = outcomes.flatMap((o) =>
    o.outcome === 'failed' ? [{ id: o.id, what: byId.get(o.id)?.what ?? o.id, reason: o.reason }] : [],
  );
  const failed = status.failures.length;
  return yield* finish(
    context,
    status,
    publish,
    failed === 0 ? 'succeeded' : 'partlyFailed',
    summary(status),
    plan.items,
  );
}

function summary(status: CleanupStatus): string {
  const kept = Object.entries(status.counts.kept)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  const verb = status.kind === 'drift' ? 'fixed' : 'deleted';
  return `${status.counts.done} ${verb}, ${status.counts.failed} failed, ${status.counts.reported} reported; kept: ${kept || 'nothing'}`;
}

function* finish(
  context: OrchestrationContext,
  status: CleanupStatus,
  publish: () => void,
  outcome: NonNullable<CleanupStatus['outcome']>,
  reason: string,
  items: CleanupItem[] = [],
): Flow<CleanupStatus> {
  Object.assign(status, { phase: 'done', outcome, reason });
  publish();
  const entries: AuditEntry[] = [
    auditEntryOf(context, 0, {
      action: 'cleanup.ran',
      subject: { kind: 'cleanup', name: status.kind },
      by:
        status.requestedBy.via === 'schedule'
          ? { kind: 'schedule', name: `cleanup ${status.kind}` }
          : { kind: 'person', name: status.requestedBy.by },
      outcome: outcome === 'succeeded' ? 'succeeded' : 'failed',
      detail: reason,
    }),
    // Drift findings go to the trail one by one, on the target they are about.
    ...items
      .filter((i) => status.kind === 'drift' && i.action !== 'keep')
      .map((i, n) =>
        auditEntryOf(context, n + 1, {
          action: 'drift.found',
          subject: { kind: 'target', name: String(i.detail?.target ?? i.id) },
          by: { kind: 'shepherd' },
          outcome: i.action === 'fix' ? 'fixed' : 'reported',
          detail: `${i.what}: ${i.reasons.join('; ')}`,
        }),
      ),
  ];
  yield* recordAuditBestEffort(context, entries);
  if (status.kind === 'drift') yield* tellDrift(context, items);
  return status;
}

/** Tells each target's people what drift was found on it and what Shepherd put right; best effort. */
function* tellDrift(context: OrchestrationContext, items: CleanupItem[]): Flow {
  const work = new DurableWork(context, context.df.instanceId);
  const byTarget = new Map<string, CleanupItem[]>();
  for (const item of items.filter((i) => i.action === 'fix' || i.action === 'report')) {
    const target = String(item.detail?.target ?? '');
    if (target !== '') byTarget.set(target, [...(byTarget.get(target) ?? []), item]);
  }
  for (const [target, found] of byTarget) {
    try {
      yield* work.step(notifyPeopleActivity, { target, notice: driftNotice(target, found) }, noticeRetry);
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
    }
  }
}

/**
 * Carries out a chunk of a cleanup's items, one activity each, retried with backoff; a failure is
 * recorded and the rest go on.
 */
export function* cleanupChunk(context: OrchestrationContext): Flow<ItemOutcome[]> {
  const { kind, items } = context.df.getInput<CleanupChunkInput>();
  const work = new DurableWork(context, context.df.instanceId);
  const { carryOut } = cleanupActivities(kind);
  const outcomes: ItemOutcome[] = [];
  for (const item of items) {
    try {
      const outcome = yield* work.step<'done' | 'gone'>(carryOut, { item }, forwardRetry);
      outcomes.push({ id: item.id, outcome });
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      outcomes.push({ id: item.id, outcome: 'failed', reason: err.message });
    }
  }
  return outcomes;
}
