import type { OrchestrationContext } from 'durable-functions';
import {
  readAppStatesActivity,
  setAppStateActivity,
  liftFreezesActivity,
  notifyPeopleActivity,
  setFreezesActivity,
} from '../functionNames';
import { describeSlot } from '../azure/siteRef';
import type { AuditActor, AuditEntry } from '../domain/auditEntry';
import type { Freeze } from '../domain/freeze';
import { auditEntryOf, recordAuditBestEffort } from './auditTrail';
import { budgetLiftedEvent } from './budgetModel';
import type { BudgetResponseInput, BudgetResponseStatus, LiftedEarly, StoppedSlot } from './budgetModel';
import { budgetCrossedNotice, budgetLiftedNotice } from './budgetNotice';
import { cutText } from './customStatusLimit';
import { DurableWork, noticeRetry, StepFailed } from './durableSteps';
import type { Flow } from './durableSteps';

/** The id of a budget's freeze of one period: a second threshold of the same period finds it held. */
export function budgetFreezeId(budgetName: string, periodStart: string): string {
  return `budget:${budgetName.toLowerCase()}:${periodStart.slice(0, 10)}`;
}

/**
 * What Shepherd does when a budget threshold is crossed, once per budget, threshold, kind and period:
 * tells people; at a freezing threshold, freezes releases to the budget's environments; at the
 * critical one, stops their non-production apps (every slot running, never a production site). Then
 * it holds until the budget resets (the period's end) or a person lifts the freeze, and undoes what it
 * did: lifts the freeze, starts what it stopped, and says so. What fails is retried, then told.
 */
export function* budgetResponse(context: OrchestrationContext): Flow<BudgetResponseStatus> {
  const input = context.df.getInput<BudgetResponseInput>();
  const work = new DurableWork(context, context.df.instanceId);
  const budgetActor: AuditActor = { kind: 'alert', rule: `budget ${input.figures.budgetName}` };
  const status: BudgetResponseStatus = {
    phase: 'acting',
    budget: input.figures.budgetName,
    threshold: `${input.threshold.percent}% ${input.threshold.kind}`,
    freezeId: budgetFreezeId(input.figures.budgetName, input.period.start),
    frozen: [],
    stopped: [],
    problems: [],
    until: input.period.end,
  };
  const audit: AuditEntry[] = [];
  let noted = 0;
  const note = (entry: Omit<AuditEntry, 'id' | 'at'>): void => {
    audit.push(auditEntryOf(context, noted++, entry));
  };
  context.df.setCustomStatus(published(status));

  const { freezeId } = status;
  const held: Freeze[] = [];
  if (input.actions.freeze) {
    const freezes: Freeze[] = input.environments.map((name) => ({
      scope: { kind: 'environment', name },
      id: freezeId,
      source: 'budget',
      reason: `budget ${input.figures.budgetName} reached ${input.figures.thresholdPercent}% (${input.figures.kind}); lifts when the budget resets`,
      by: budgetActor,
      since: work.nowIso(),
      until: input.period.end,
      releasesRunning: [],
    }));
    try {
      const set = yield* work.step<{ freeze: Freeze; began: boolean }[]>(setFreezesActivity, { freezes });
      for (const { freeze, began } of set) {
        held.push(freeze);
        status.frozen.push(freeze.scope.name);
        if (began)
          note({
            action: 'freeze.set',
            subject: { kind: 'environment', name: freeze.scope.name },
            by: budgetActor,
            outcome: 'frozen',
            detail: `${freeze.reason}${freeze.releasesRunning.length > 0 ? `; running releases may finish: ${freeze.releasesRunning.join(', ')}` : ''}`,
          });
      }
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      status.problems.push(`the freeze could not be set (${err.message})`);
    }
  }

  const stopped: StoppedSlot[] = input.actions.stopNonProduction ? yield* stopApps(work, input, status) : [];
  for (const slot of stopped)
    note({
      action: 'apps.stopped',
      subject: { kind: 'target', name: slot.target },
      by: budgetActor,
      outcome: 'stopped',
      detail: `${describeSlot(slot.site, slot.slot)} stopped: budget ${input.figures.budgetName} reached its critical threshold (${input.threshold.percent}% ${input.threshold.kind})`,
    });
  note({
    action: 'budget.alert',
    subject: { kind: 'budget', name: input.figures.budgetName },
    by: budgetActor,
    outcome: 'told',
    detail: budgetCrossedNotice(input, status).text,
  });
  yield* tell(work, input, budgetCrossedNotice(input, status));
  yield* recordAuditBestEffort(context, audit.splice(0));

  if (held.length === 0 && stopped.length === 0) {
    status.phase = 'done';
    context.df.setCustomStatus(published(status));
    return status;
  }
  // Held until the budget resets; a person lifting one environment's freeze early ends the hold
  // there (its apps start again) while the others stay frozen.
  let holding = { freezes: held, stopped };
  while (holding.freezes.length > 0 || holding.stopped.length > 0) {
    status.phase = 'holding';
    context.df.setCustomStatus(published(status));
    const lifted = context.df.waitForExternalEvent(budgetLiftedEvent);
    const woke = yield* work.eventUntil(lifted, Date.parse(input.period.end));
    const early = woke === 'event' ? (lifted.result as LiftedEarly) : undefined;
    const ends = (environments: string[]): boolean =>
      early === undefined || environments.includes(early.environment);
    const now = {
      freezes: holding.freezes.filter((f) => ends([f.scope.name])),
      stopped: holding.stopped.filter((s) => ends(s.environments)),
    };
    holding = {
      freezes: holding.freezes.filter((f) => !now.freezes.includes(f)),
      stopped: holding.stopped.filter((s) => !now.stopped.includes(s)),
    };
    const liftedNow = {
      at: work.nowIso(),
      by: early?.by ?? 'shepherd',
      reason: early?.reason ?? 'the budget reset',
    };
    Object.assign(status, { phase: 'lifting', lifted: liftedNow });
    context.df.setCustomStatus(published(status));
    yield* undo(work, input, status, liftedNow, now, early, note);
    yield* recordAuditBestEffort(context, audit.splice(0));
  }
  status.phase = 'done';
  context.df.setCustomStatus(published(status));
  return status;
}

/**
 * Lifts `what.freezes` and starts `what.stopped` again, at the reset or because `early` (a person)
 * lifted the freeze of an environment, and tells people what was done.
 */
function* undo(
  work: DurableWork,
  input: BudgetResponseInput,
  status: BudgetResponseStatus,
  lifted: NonNullable<BudgetResponseStatus['lifted']>,
  what: { freezes: Freeze[]; stopped: StoppedSlot[] },
  early: LiftedEarly | undefined,
  note: (entry: Omit<AuditEntry, 'id' | 'at'>) => void,
): Flow {
  const problemsBefore = status.problems.length;
  const liftedFreezes: string[] = [];
  if (what.freezes.length > 0) {
    const by: AuditActor = early === undefined ? { kind: 'shepherd' } : { kind: 'person', name: early.by };
    try {
      // A person's lift has lifted the stored freeze already; lifting again changes nothing.
      const done = yield* work.step<Freeze[]>(liftFreezesActivity, {
        freezes: what.freezes.map((f) => ({ scope: f.scope, id: f.id })),
        lifted: { at: lifted.at, by, reason: lifted.reason },
      });
      for (const freeze of done) {
        liftedFreezes.push(freeze.scope.name);
        note({
          action: 'freeze.lifted',
          subject: { kind: 'environment', name: freeze.scope.name },
          by,
          outcome: 'lifted',
          detail: `budget ${input.figures.budgetName}: ${lifted.reason}`,
        });
      }
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      status.problems.push(
        `the freeze could not be lifted (${err.message}); lift it with DELETE /api/environments/{environment}/freeze`,
      );
    }
  }
  const started = yield* startApps(work, what.stopped, status);
  for (const slot of what.stopped.filter((s) => started.includes(describeSlot(s.site, s.slot))))
    note({
      action: 'apps.started',
      subject: { kind: 'target', name: slot.target },
      by: { kind: 'shepherd' },
      outcome: 'started',
      detail: `${describeSlot(slot.site, slot.slot)} started again: ${lifted.reason}`,
    });
  const problems = status.problems.slice(problemsBefore);
  // A person who lifted a freeze early was answered by the lifting route; only what followed is told.
  if (early === undefined || started.length > 0 || problems.length > 0) {
    const why =
      early === undefined
        ? `the budget reset at ${input.period.end}`
        : `${early.by} lifted the freeze of ${early.environment}: ${early.reason}`;
    yield* tell(work, input, budgetLiftedNotice(input, { frozen: liftedFreezes, started, problems, why }));
  }
}

/** The status as its custom status carries it: long lists and Azure's texts cut, within Azure's limit. */
function published(status: BudgetResponseStatus): BudgetResponseStatus {
  const cut = (list: string[], shown: number, limit: number): string[] =>
    list.length <= shown
      ? list.map((t) => cutText(t, limit))
      : [...list.slice(0, shown).map((t) => cutText(t, limit)), `… and ${list.length - shown} more`];
  return {
    ...status,
    frozen: cut(status.frozen, 10, 80),
    stopped: cut(status.stopped, 10, 80),
    problems: cut(status.problems, 5, 200),
  };
}

/** Stops every running slot of the sites the critical threshold names; answers what it stopped. */
function* stopApps(
  work: DurableWork,
  input: BudgetResponseInput,
  status: BudgetResponseStatus,
): Flow<StoppedSlot[]> {
  const stopped: StoppedSlot[] = [];
  for (const app of input.stop) {
    const target = app.targets[0] ?? app.site.name;
    try {
      const states = yield* work.step<{ slot: string; state: string }[]>(readAppStatesActivity, {
        site: app.site,
      });
      // Only what runs now: a slot a person stopped is theirs, and stays stopped at the reset.
      for (const { slot } of states.filter((s) => s.state.toLowerCase() === 'running')) {
        yield* work.step(setAppStateActivity, { site: app.site, slot, state: 'Stopped' });
        stopped.push({ target, site: app.site, slot, environments: app.environments });
        status.stopped.push(describeSlot(app.site, slot));
      }
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      status.problems.push(`${app.site.name} could not be stopped (${err.message})`);
    }
  }
  return stopped;
}

/** Starts again what the response stopped; answers what it started. */
function* startApps(work: DurableWork, stopped: StoppedSlot[], status: BudgetResponseStatus): Flow<string[]> {
  const started: string[] = [];
  for (const slot of stopped) {
    const name = describeSlot(slot.site, slot.slot);
    try {
      yield* work.step(setAppStateActivity, { site: slot.site, slot: slot.slot, state: 'Running' });
      started.push(name);
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      status.problems.push(`${name} could not be started again (${err.message}); start it by hand`);
    }
  }
  return started;
}

/** Tells the budget's environments and its own webhooks; best effort. */
function* tell(
  work: DurableWork,
  input: BudgetResponseInput,
  notice: ReturnType<typeof budgetCrossedNotice>,
): Flow {
  try {
    yield* work.step(
      notifyPeopleActivity,
      { environments: input.environments, budget: input.budgetEntry, notice },
      noticeRetry,
    );
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
  }
}
