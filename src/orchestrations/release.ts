import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { checkSlotHealthActivity } from '../activities/checkSlotHealth';
import type { SlotHealth } from '../activities/checkSlotHealth';
import { deployToSlotActivity } from '../activities/deployToSlot';
import { ensureProductionImageActivity } from '../activities/ensureProductionImage';
import { readKnownGoodActivity, recordKnownGoodActivity } from '../activities/knownGood';
import { readProductionImageActivity } from '../activities/readProductionImage';
import { readWindowMetricsActivity } from '../activities/readWindowMetrics';
import type { WindowMetricsResult } from '../activities/readWindowMetrics';
import { clearTrafficRoutingActivity, setTrafficShareActivity } from '../activities/routeTraffic';
import { notifyPeopleActivity } from '../activities/notifyPeople';
import { runSmokeChecksActivity } from '../activities/runSmokeChecks';
import { supersedeEarlierReleasesActivity } from '../activities/supersedeEarlierReleases';
import { takeBackupActivity } from '../activities/takeBackup';
import type { TakeBackupInput, TakeBackupResult } from '../activities/takeBackup';
import type { Target } from '../config';
import { nextAnalysisWindow } from '../domain/analysisWindow';
import { decideAfterWindow, freshTally } from '../domain/canaryProgress';
import { judgeBakeWindow, judgeCanaryWindow } from '../domain/canaryWindow';
import type { WindowJudgement } from '../domain/canaryWindow';
import { afterRollback, afterSuccessfulRelease, chooseRollbackImage } from '../domain/knownGood';
import type { KnownGood } from '../domain/knownGood';
import { releaseNotice } from './releaseNotice';
import type { PlaceInQueue } from '../domain/targetQueue';
import { abortEvent, approvalEvent } from './releaseModel';
import type {
  AbortRequest,
  ApprovalAnswer,
  ReleaseInput,
  ReleaseOutcome,
  ReleasePhase,
  ReleaseStatus,
} from './releaseModel';

/** How often a warming slot is looked at again. */
const warmUpPollMs = 15_000;
/** How often a queued release looks again whether the earlier releases of its target have stopped. */
const queuePollMs = 5_000;
/** Activities that touch Azure are retried briefly: a transient ARM error should not end a release. */
const azureRetry = new df.RetryOptions(5_000, 3);

const minutes = (n: number): number => n * 60_000;

/**
 * One release of one image to one target: wait until no earlier release of the target runs (asking
 * them to stop), deploy to the staging slot, warm up, smoke-test, wait for approval when required,
 * then move traffic in canary steps judged on Azure Monitor metrics (or swap at once for
 * blue-green), promote by swap, bake, and record the image as known good. Any failed gate, failed
 * check, abort or unexpected error rolls back: traffic to the slot goes to 0 first; after the swap,
 * production swaps back. A rollback runs the same path with the last known good image, swapping it in
 * as soon as it is healthy.
 */
export const release: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ReleaseInput>();
  const status = yield* runRelease(context, input);
  yield* notify(context, status);
  return status;
};

function* runRelease(
  context: OrchestrationContext,
  input: ReleaseInput,
): Generator<df.Task, ReleaseStatus, unknown> {
  const { target } = input;
  const where = { site: target.site, slot: target.site.slot };
  const status: ReleaseStatus = {
    releaseId: input.releaseId,
    kind: input.kind,
    target: target.name,
    image: input.kind === 'push' ? input.image : '',
    previousImage: null,
    phase: 'starting',
    trafficPercent: 0,
    windows: [],
    ...(input.kind === 'rollback' ? { requestedBy: input.requestedBy } : {}),
  };
  const enter = (phase: ReleasePhase): void => {
    status.phase = phase;
    context.df.setCustomStatus(status);
  };
  const end = (outcome: ReleaseOutcome, reason: string): ReleaseStatus => {
    Object.assign(status, { phase: 'done', outcome, reason });
    context.df.setCustomStatus(status);
    return status;
  };
  const now = (): number => context.df.currentUtcDateTime.getTime();
  let touched = false;
  let swapped = false;
  const abort = context.df.waitForExternalEvent(abortEvent);

  // A rollback is never frozen: putting a known good image back is what a freeze protects.
  if (input.kind === 'push' && input.frozen)
    return end('refused', `releases to the ${target.environment} environment are frozen`);
  try {
    enter('queued');
    for (;;) {
      const place = (yield context.df.callActivityWithRetry(supersedeEarlierReleasesActivity, azureRetry, {
        target: target.name,
        releaseId: input.releaseId,
      })) as PlaceInQueue;
      const newest = place.later.at(-1);
      if (newest !== undefined) return end('superseded', `superseded by ${newest} before it began`);
      if (place.earlier.length === 0) break;
      status.waitingFor = place.earlier;
      context.df.setCustomStatus(status);
      yield* waitOrAbort(context, abort, now() + queuePollMs);
    }

    if (input.kind === 'push' && target.database?.backups.enabled === true) {
      // The new image may migrate the database when it starts, so it is backed up before the image
      // reaches the slot; without a verified backup nothing is deployed.
      enter('backingUp');
      const backup = (yield context.df.callActivity(takeBackupActivity, {
        target,
        releaseId: input.releaseId,
        image: input.image,
        requestedAt: context.df.currentUtcDateTime.toISOString(),
      } satisfies TakeBackupInput)) as TakeBackupResult;
      if (!backup.ok) return end('failed', `no verified backup, so nothing was deployed: ${backup.reason}`);
      const { name, sizeBytes, sha256 } = backup.backup;
      status.backup = { name, sizeBytes, sha256 };
    }
    enter('deploying');
    if (input.kind === 'rollback') {
      const known = (yield context.df.callActivityWithRetry(readKnownGoodActivity, azureRetry, {
        site: target.site,
      })) as { record: KnownGood; production: string | null };
      const choice = chooseRollbackImage(known.record, known.production);
      if ('nothing' in choice) return end('refused', `nothing to roll back to: ${choice.nothing}`);
      status.image = choice.image;
      status.previousImage = known.production;
    } else {
      status.previousImage = (yield context.df.callActivityWithRetry(
        readProductionImageActivity,
        azureRetry,
        { site: target.site },
      )) as string | null;
    }
    touched = true;
    yield context.df.callActivityWithRetry(deployToSlotActivity, azureRetry, {
      ...where,
      image: status.image,
    });

    enter('warmingUp');
    const warmUpDeadline = now() + minutes(target.warmUp.timeoutMinutes);
    for (;;) {
      const health = (yield context.df.callActivity(checkSlotHealthActivity, {
        ...where,
        image: status.image,
        healthPath: target.warmUp.healthPath,
      })) as SlotHealth;
      if (health.healthy) break;
      if (now() >= warmUpDeadline)
        return end(
          'failed',
          `the slot did not become healthy within ${target.warmUp.timeoutMinutes} min: ${health.detail}`,
        );
      yield* waitOrAbort(context, abort, now() + warmUpPollMs);
    }

    enter('smokeTesting');
    const smoke = (yield context.df.callActivity(runSmokeChecksActivity, {
      ...where,
      checks: target.smokeChecks,
    })) as { failures: string[] };
    if (smoke.failures.length > 0) return end('failed', `smoke checks failed: ${smoke.failures.join('; ')}`);

    if (input.kind === 'push' && target.approval.required) {
      enter('awaitingApproval');
      yield* notify(context, status);
      const answer = yield* awaitApproval(context, abort, now() + minutes(target.approval.timeoutMinutes));
      if (answer === undefined)
        return end('rejected', `no one approved it within ${target.approval.timeoutMinutes} min`);
      status.approval = { ...answer, at: context.df.currentUtcDateTime.toISOString() };
      if (!answer.approved)
        return end('rejected', `rejected by ${answer.by}${answer.reason ? `: ${answer.reason}` : ''}`);
    }

    if (input.kind === 'push' && target.strategy === 'canary') {
      enter('canary');
      let tally = freshTally;
      let step = 0;
      while (step < target.canary.steps.length) {
        const percent = target.canary.steps[step] ?? 100;
        yield context.df.callActivityWithRetry(setTrafficShareActivity, azureRetry, { ...where, percent });
        status.trafficPercent = percent;
        context.df.setCustomStatus(status);
        const { judgement, windowEnd, judgedAt } = yield* judgeNextWindow(
          context,
          abort,
          {
            ...where,
            intervalMinutes: target.canary.intervalMinutes,
            settleSeconds: target.gates.metricsSettleSeconds,
          },
          (metrics) =>
            'error' in metrics
              ? unreadable(metrics.error, target)
              : judgeCanaryWindow(metrics.slot, metrics.production, target.gates),
        );
        status.windows.push({
          ...judgement,
          step: step + 1,
          trafficPercent: percent,
          end: windowEnd,
          judgedAt,
        });
        const decision = decideAfterWindow(tally, judgement.verdict, target.gates);
        tally = decision.tally;
        if (decision.action === 'rollback') {
          enter('rollingBack');
          yield context.df.callActivityWithRetry(clearTrafficRoutingActivity, azureRetry, {
            site: target.site,
          });
          status.trafficPercent = 0;
          return end(
            'rolledBack',
            `step ${step + 1} (${percent}%): ${decision.reason}; ${judgement.reasons.join('; ')}`,
          );
        }
        if (decision.action === 'advance') step += 1;
        context.df.setCustomStatus(status);
      }
    }

    enter('promoting');
    yield context.df.callActivityWithRetry(ensureProductionImageActivity, azureRetry, {
      ...where,
      image: status.image,
    });
    swapped = true;
    yield context.df.callActivityWithRetry(clearTrafficRoutingActivity, azureRetry, { site: target.site });
    status.trafficPercent = 100;

    if (input.kind === 'push' && target.bakeMinutes > 0) {
      enter('baking');
      // After the swap production runs the new image and carries every user: it is judged on the gates
      // alone, one failed window swaps back, and a window too quiet to judge is followed by another.
      let tally = freshTally;
      for (;;) {
        const { judgement, windowEnd, judgedAt } = yield* judgeNextWindow(
          context,
          abort,
          { ...where, intervalMinutes: target.bakeMinutes, settleSeconds: target.gates.metricsSettleSeconds },
          (metrics) =>
            'error' in metrics
              ? unreadable(metrics.error, target)
              : judgeBakeWindow(metrics.production, target.gates),
        );
        status.windows.push({ ...judgement, step: 0, trafficPercent: 100, end: windowEnd, judgedAt });
        const decision = decideAfterWindow(tally, judgement.verdict, {
          failureLimit: 1,
          inconclusiveLimit: target.gates.inconclusiveLimit,
        });
        tally = decision.tally;
        if (decision.action === 'advance') break;
        if (decision.action === 'rollback') {
          yield* swapBack(context, target, status);
          return end(
            'rolledBack',
            `production failed its bake: ${decision.reason}; ${judgement.reasons.join('; ')}`,
          );
        }
        context.df.setCustomStatus(status);
      }
    }

    const unrecorded = yield* recordKnownGood(context, input, status);
    const done =
      input.kind === 'push'
        ? 'the new image passed every check and serves production'
        : `production serves the known good image again, as ${input.requestedBy.by} asked: ${input.requestedBy.reason}`;
    return end('succeeded', unrecorded === undefined ? done : `${done}; ${unrecorded}`);
  } catch (err) {
    const aborted = err instanceof ReleaseAborted ? err.request : undefined;
    if (aborted) status.abortedBy = aborted;
    const message = aborted
      ? `aborted by ${aborted.by}: ${aborted.reason}`
      : err instanceof Error
        ? err.message
        : String(err);
    if (touched) {
      enter('rollingBack');
      yield context.df.callActivityWithRetry(clearTrafficRoutingActivity, azureRetry, { site: target.site });
      status.trafficPercent = 0;
      // A rollback never swaps back: what it replaced is the image someone wanted gone.
      if (swapped && input.kind === 'push') yield* swapBack(context, target, status);
    }
    const undone = touched ? 'rolled back' : 'nothing had been deployed';
    if (aborted?.supersededBy !== undefined) return end('superseded', `${message}; ${undone}`);
    return aborted ? end('rolledBack', message) : end('failed', `unexpected error, ${undone}: ${message}`);
  }
}

/**
 * Tells the target's people (its notification webhook, when it has one) that the release waits for
 * them or has ended. Best effort: a notification that cannot be delivered changes nothing in the release.
 */
function* notify(context: OrchestrationContext, status: ReleaseStatus): Generator<df.Task, void, unknown> {
  try {
    yield context.df.callActivityWithRetry(notifyPeopleActivity, azureRetry, {
      target: status.target,
      notice: releaseNotice(status),
    });
  } catch {
    // The release's own status says everything the notice would have.
  }
}

/** Raised inside the release when an abort event arrives; the rollback path handles it. */
class ReleaseAborted extends Error {
  constructor(readonly request: AbortRequest) {
    super(`aborted by ${request.by}: ${request.reason}`);
  }
}

/** A window whose metrics could not be read is inconclusive, never a pass. */
function unreadable(error: string, target: Target): WindowJudgement {
  return {
    ...judgeCanaryWindow(undefined, undefined, target.gates),
    reasons: [`metrics could not be read: ${error}`],
  };
}

/**
 * Waits until `fireAt` on a durable timer, unless the release's abort event comes first: then it
 * throws. Every wait shares the one abort task of the release, so an abort raised while an activity
 * runs is not taken by a waiter from an earlier wait; the next wait sees it at once.
 */
function* waitOrAbort(
  context: OrchestrationContext,
  abort: df.Task,
  fireAt: number,
): Generator<df.Task, void, unknown> {
  const timer = context.df.createTimer(new Date(fireAt));
  const first: unknown = yield context.df.Task.any([timer, abort]);
  if (first === abort) {
    timer.cancel();
    throw new ReleaseAborted(abort.result as AbortRequest);
  }
}

/** Waits for a person's approval until `deadline`; undefined when none came in time. */
function* awaitApproval(
  context: OrchestrationContext,
  abort: df.Task,
  deadline: number,
): Generator<df.Task, ApprovalAnswer | undefined, unknown> {
  const answer = context.df.waitForExternalEvent(approvalEvent);
  const timer = context.df.createTimer(new Date(deadline));
  const first: unknown = yield context.df.Task.any([answer, timer, abort]);
  if (first !== timer) timer.cancel();
  if (first === abort) throw new ReleaseAborted(abort.result as AbortRequest);
  return first === answer ? (answer.result as ApprovalAnswer) : undefined;
}

/**
 * Waits for the analysis window that follows a traffic change (from the next whole minute, for
 * `intervalMinutes`), reads the slot's and production's metrics for it and judges them. Azure Monitor's
 * newest minutes may still be arriving at the window's end: a failure found then stands at once (the
 * fastest relief), while a pass, or a window too quiet or unreadable, is read and judged again
 * `settleSeconds` later, so that no window passes on part of its data.
 */
function* judgeNextWindow(
  context: OrchestrationContext,
  abort: df.Task,
  window: { site: Target['site']; slot: string; intervalMinutes: number; settleSeconds: number },
  judge: (metrics: WindowMetricsResult) => WindowJudgement,
): Generator<df.Task, { judgement: WindowJudgement; windowEnd: string; judgedAt: string }, unknown> {
  const { start, end } = nextAnalysisWindow(context.df.currentUtcDateTime.getTime(), window.intervalMinutes);
  const read = {
    site: window.site,
    slot: window.slot,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
  };
  yield* waitOrAbort(context, abort, end);
  let judgement = judge(
    (yield context.df.callActivity(readWindowMetricsActivity, read)) as WindowMetricsResult,
  );
  if (judgement.verdict !== 'fail' && window.settleSeconds > 0) {
    yield* waitOrAbort(context, abort, end + window.settleSeconds * 1000);
    judgement = judge(
      (yield context.df.callActivity(readWindowMetricsActivity, read)) as WindowMetricsResult,
    );
  }
  return { judgement, windowEnd: read.end, judgedAt: context.df.currentUtcDateTime.toISOString() };
}

/**
 * Records the image production now runs as known good, in the site's tags. Production is already
 * right, so a failure here is reported (the returned text) rather than rolled back.
 */
function* recordKnownGood(
  context: OrchestrationContext,
  input: ReleaseInput,
  status: ReleaseStatus,
): Generator<df.Task, string | undefined, unknown> {
  const site = input.target.site;
  try {
    let record: KnownGood;
    if (input.kind === 'push') {
      const known = (yield context.df.callActivityWithRetry(readKnownGoodActivity, azureRetry, {
        site,
      })) as { record: KnownGood };
      record = afterSuccessfulRelease(known.record, status.image, status.previousImage);
    } else {
      record = afterRollback(status.image);
    }
    yield context.df.callActivityWithRetry(recordKnownGoodActivity, azureRetry, { site, record });
    return undefined;
  } catch (err) {
    return `it could not be recorded as known good: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Puts the image production ran before back, by swapping it in from the slot (where the swap left it). */
function* swapBack(
  context: OrchestrationContext,
  target: Target,
  status: ReleaseStatus,
): Generator<df.Task, void, unknown> {
  if (status.previousImage === null) return;
  status.phase = 'rollingBack';
  context.df.setCustomStatus(status);
  yield context.df.callActivityWithRetry(ensureProductionImageActivity, azureRetry, {
    site: target.site,
    slot: target.site.slot,
    image: status.previousImage,
  });
}
