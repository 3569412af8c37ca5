import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { queryInstances } from './azure/taskHubInstances';
import type { Notice } from './domain/notice';
import type { AuditLog } from './azure/auditLog';
import type { FreezeStore } from './azure/freezeStore';
import type { Config, Target } from './config';
import { auditDetail } from './domain/auditEntry';
import type { AuditActor, AuditEntry } from './domain/auditEntry';
import {
  describeScope,
  freezesHolding,
  isFreezeActive,
  refusalReason,
  releaseAfterFreezeAction,
  settingFreezes,
} from './domain/freeze';
import type { Freeze, FreezeScope } from './domain/freeze';
import { budgetLiftedEvent } from './orchestrations/budgetModel';
import type { BudgetResponseStatus, LiftedEarly } from './orchestrations/budgetModel';
import { sendNoticeOrchestrator } from './functionNames';
import type { SendNoticeInput } from './orchestrations/noticeModel';
import type { NoticeAddressee } from './domain/noticeRecipients';
import { activeReleasesOf } from './releaseControl';
import { startOnce } from './startOnce';

/**
 * Every freeze that holds now: the store's, not lifted and not past their `until`, and the static
 * ones of `SHEPHERD_FROZEN_ENVIRONMENTS`. A store that cannot be read throws: a push is then
 * answered with an error (and delivered again), never released past a freeze nobody could read.
 */
export async function freezesInForce(
  config: Config,
  store: FreezeStore,
  now = Date.now(),
): Promise<Freeze[]> {
  const stored = (await store.unlifted()).filter((f) => isFreezeActive(f, now));
  return [...settingFreezes(config.frozenEnvironments), ...stored];
}

/** What a push's release input says of the freezes holding `target`: refused and why, or not frozen. */
export function freezeOfPush(
  freezes: readonly Freeze[],
  target: Target,
  digest: string,
  now = Date.now(),
): { frozen: false } | { frozen: true; frozenBecause: string } {
  const holding = freezesHolding(freezes, target, now);
  return holding.length === 0
    ? { frozen: false }
    : { frozen: true, frozenBecause: refusalReason(target, holding, digest) };
}

/** The targets a freeze of `scope` holds. */
export function targetsIn(config: Config, scope: FreezeScope): Target[] {
  return config.targets.filter((t) =>
    scope.kind === 'environment' ? t.environment === scope.name : t.name === scope.name,
  );
}

/** The releases running on the targets a freeze of `scope` holds: they may finish, and their status says a freeze began. */
export async function releasesRunningIn(
  client: DurableClient,
  config: Config,
  scope: FreezeScope,
): Promise<string[]> {
  const running: string[] = [];
  for (const target of targetsIn(config, scope))
    running.push(...(await activeReleasesOf(client, target.name)).map((r) => r.id));
  return running;
}

/** Whether `environment` is one Shepherd knows: a target's, or one the targets file describes. */
export function isKnownEnvironment(config: Config, environment: string): boolean {
  return (
    config.targets.some((t) => t.environment === environment) ||
    config.environments.some((e) => e.name === environment)
  );
}

/**
 * Tells people through durable work (retried, and never holding the trigger up). `id` is made from
 * what is told, so the same notice asked twice is sent once.
 */
export async function tellOnce(
  client: DurableClient,
  id: string,
  to: NoticeAddressee,
  notice: Notice,
): Promise<void> {
  const input: SendNoticeInput = { to, notice };
  await startOnce(client, sendNoticeOrchestrator, `notice:${id}`, input);
}

/** Records entries a trigger wrote; best effort, as orchestrations do: the action stands either way. */
export async function recordFromTrigger(
  audit: AuditLog,
  entries: AuditEntry[],
  context: InvocationContext,
): Promise<void> {
  try {
    await audit.record(entries.map((e) => ({ ...e, detail: auditDetail(e.detail) })));
  } catch (err) {
    context.warn(
      `the audit trail could not record ${entries.map((e) => e.id).join(', ')}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The audit entry of a freeze set or lifted, on what it holds. */
export function freezeAuditEntry(
  id: string,
  at: string,
  freeze: Freeze,
  action: 'freeze.set' | 'freeze.lifted',
  by: AuditActor,
  detail: string,
): AuditEntry {
  return {
    id,
    at,
    action,
    subject: { kind: freeze.scope.kind, name: freeze.scope.name },
    by,
    outcome: action === 'freeze.set' ? 'frozen' : 'lifted',
    detail,
  };
}

/** The freeze notice: what froze, why, until when, what still runs, and how to release later. */
export function freezeSetNotice(freeze: Freeze, by: string): Notice {
  const until = freeze.until === undefined ? '' : ` until ${freeze.until}`;
  const running =
    freeze.releasesRunning.length > 0
      ? ` Releases already running may finish: ${freeze.releasesRunning.join(', ')}.`
      : '';
  return {
    text: `Releases to ${describeScope(freeze.scope)} are frozen${until} (${freeze.source}, by ${by}): ${freeze.reason}. Rollbacks still run.${running} A push refused meanwhile can be released once the freeze lifts with POST /api/targets/{target}/releases {"image": "<digest>", "reason": "…"}.`,
    urgent: false,
    title: `${describeScope(freeze.scope)} frozen`,
    facts: [
      { name: 'Source', value: freeze.source },
      { name: 'By', value: by },
      { name: 'Reason', value: freeze.reason },
      ...(freeze.until === undefined ? [] : [{ name: 'Until', value: freeze.until }]),
      ...(freeze.releasesRunning.length > 0
        ? [{ name: 'May finish', value: freeze.releasesRunning.join(', ') }]
        : []),
    ],
    actions: [releaseAfterFreezeAction()],
  };
}

/** The notice of a freeze lifted. */
export function freezeLiftedNotice(freeze: Freeze, by: string, reason: string): Notice {
  return {
    text: `Releases to ${describeScope(freeze.scope)} are no longer frozen: ${by} lifted the ${freeze.source} freeze (${reason}).`,
    urgent: false,
    title: `${describeScope(freeze.scope)} no longer frozen`,
    facts: [
      { name: 'Source', value: freeze.source },
      { name: 'Lifted by', value: by },
      { name: 'Reason', value: reason },
    ],
  };
}

/** Who receives the notices of a freeze of `scope`. */
export function recipientsOf(scope: FreezeScope): NoticeAddressee {
  return scope.kind === 'environment' ? { environments: [scope.name] } : { target: scope.name };
}

/**
 * Tells every running budget response holding the freeze `freezeId` that a person lifted it, so each
 * starts what it stopped and ends: the one that set the freeze, and those of later thresholds of the
 * same period that found it set.
 */
export async function endBudgetHolds(
  client: DurableClient,
  freezeId: string,
  lifted: LiftedEarly,
): Promise<void> {
  const running = await queryInstances(client, {
    instanceIdPrefix: 'budget:',
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running],
  });
  for (const instance of running) {
    const status = instance.customStatus as Partial<BudgetResponseStatus> | null | undefined;
    if (status?.freezeId === freezeId)
      await client.raiseEvent(instance.instanceId, budgetLiftedEvent, lifted);
  }
}
