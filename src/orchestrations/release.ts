import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { checkSlotHealthActivity } from '../activities/checkSlotHealth';
import type { SlotHealth } from '../activities/checkSlotHealth';
import { deployToSlotActivity } from '../activities/deployToSlot';
import { ensureProductionImageActivity } from '../activities/ensureProductionImage';
import { readProductionImageActivity } from '../activities/readProductionImage';
import { readWindowMetricsActivity } from '../activities/readWindowMetrics';
import type { WindowMetricsResult } from '../activities/readWindowMetrics';
import { clearTrafficRoutingActivity, setTrafficShareActivity } from '../activities/routeTraffic';
import { runSmokeChecksActivity } from '../activities/runSmokeChecks';
import { nextAnalysisWindow } from '../domain/analysisWindow';
import { decideAfterWindow, freshTally } from '../domain/canaryProgress';
import { judgeCanaryWindow } from '../domain/canaryWindow';
import { abortEvent } from './releaseModel';
import type { AbortRequest, ReleaseInput, ReleaseOutcome, ReleasePhase, ReleaseStatus } from './releaseModel';

/** How often a warming slot is looked at again. */
const warmUpPollMs = 15_000;
/** Activities that touch Azure are retried briefly: a transient ARM error should not end a release. */
const azureRetry = new df.RetryOptions(5_000, 3);

const minutes = (n: number): number => n * 60_000;

/**
 * One release of one image to one target: deploy to the staging slot, warm up, smoke-test, then
 * move traffic in canary steps judged on Azure Monitor metrics (or swap at once for blue-green),
 * promote by swap, and bake. Any failed gate, failed check or unexpected error rolls back: traffic
 * to the slot goes to 0 first; after the swap, production swaps back.
 */
export const release: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ReleaseInput>();
  const { target } = input;
  const where = { site: target.site, slot: target.site.slot };
  const status: ReleaseStatus = {
    releaseId: input.releaseId,
    target: target.name,
    image: input.image,
    previousImage: null,
    phase: 'starting',
    trafficPercent: 0,
    windows: [],
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
  let swapped = false;
  const abort = context.df.waitForExternalEvent(abortEvent);

  if (input.frozen) return end('refused', `releases to the ${target.environment} environment are frozen`);
  try {
    enter('deploying');
    status.previousImage = (yield context.df.callActivityWithRetry(readProductionImageActivity, azureRetry, {
      site: target.site,
    })) as string | null;
    yield context.df.callActivityWithRetry(deployToSlotActivity, azureRetry, {
      ...where,
      image: input.image,
    });

    enter('warmingUp');
    const warmUpDeadline = now() + minutes(target.warmUp.timeoutMinutes);
    for (;;) {
      const health = (yield context.df.callActivity(checkSlotHealthActivity, {
        ...where,
        image: input.image,
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

    if (target.strategy === 'canary') {
      enter('canary');
      let tally = freshTally;
      let step = 0;
      while (step < target.canary.steps.length) {
        const percent = target.canary.steps[step] ?? 100;
        yield context.df.callActivityWithRetry(setTrafficShareActivity, azureRetry, { ...where, percent });
        status.trafficPercent = percent;
        context.df.setCustomStatus(status);
        const { metrics, windowEnd } = yield* awaitWindow(
          context,
          abort,
          where,
          target.canary.intervalMinutes,
        );
        const judgement =
          'error' in metrics
            ? {
                ...judgeCanaryWindow(undefined, undefined, target.gates),
                reasons: [`metrics could not be read: ${metrics.error}`],
              }
            : judgeCanaryWindow(metrics.slot, metrics.production, target.gates);
        status.windows.push({ ...judgement, step: step + 1, trafficPercent: percent, end: windowEnd });
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
      image: input.image,
    });
    swapped = true;
    yield context.df.callActivityWithRetry(clearTrafficRoutingActivity, azureRetry, { site: target.site });
    status.trafficPercent = 100;

    if (target.bakeMinutes > 0) {
      enter('baking');
      const { metrics, windowEnd } = yield* awaitWindow(context, abort, where, target.bakeMinutes);
      // After the swap production runs the new image; it is judged on the gates alone.
      const judgement =
        'error' in metrics ? undefined : judgeCanaryWindow(metrics.production, undefined, target.gates);
      if (judgement) status.windows.push({ ...judgement, step: 0, trafficPercent: 100, end: windowEnd });
      if (judgement?.verdict === 'fail') {
        yield* swapBack(context, input, status);
        return end('rolledBack', `production failed its bake: ${judgement.reasons.join('; ')}`);
      }
    }
    return end('succeeded', 'the new image passed every check and serves production');
  } catch (err) {
    const message =
      err instanceof ReleaseAborted
        ? `aborted by ${err.request.by}: ${err.request.reason}`
        : err instanceof Error
          ? err.message
          : String(err);
    enter('rollingBack');
    yield context.df.callActivityWithRetry(clearTrafficRoutingActivity, azureRetry, { site: target.site });
    status.trafficPercent = 0;
    if (swapped) yield* swapBack(context, input, status);
    return err instanceof ReleaseAborted
      ? end('rolledBack', message)
      : end('failed', `unexpected error, rolled back: ${message}`);
  }
};

/** Raised inside the release when an abort event arrives; the rollback path handles it. */
class ReleaseAborted extends Error {
  constructor(readonly request: AbortRequest) {
    super(`aborted by ${request.by}: ${request.reason}`);
  }
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

/**
 * Waits for the analysis window that follows a traffic change (from the next whole minute, for
 * `intervalMinutes`) and reads the slot's and production's metrics for it.
 */
function* awaitWindow(
  context: OrchestrationContext,
  abort: df.Task,
  where: { site: ReleaseInput['target']['site']; slot: string },
  intervalMinutes: number,
): Generator<df.Task, { metrics: WindowMetricsResult; windowEnd: string }, unknown> {
  const window = nextAnalysisWindow(context.df.currentUtcDateTime.getTime(), intervalMinutes);
  yield* waitOrAbort(context, abort, window.end);
  const windowEnd = new Date(window.end).toISOString();
  const metrics = (yield context.df.callActivity(readWindowMetricsActivity, {
    ...where,
    start: new Date(window.start).toISOString(),
    end: windowEnd,
  })) as WindowMetricsResult;
  return { metrics, windowEnd };
}

/** Puts the image production ran before back, by swapping it in from the slot (where the swap left it). */
function* swapBack(
  context: OrchestrationContext,
  input: ReleaseInput,
  status: ReleaseStatus,
): Generator<df.Task, void, unknown> {
  if (status.previousImage === null) return;
  status.phase = 'rollingBack';
  context.df.setCustomStatus(status);
  yield context.df.callActivityWithRetry(ensureProductionImageActivity, azureRetry, {
    site: input.target.site,
    slot: input.target.site.slot,
    image: status.previousImage,
  });
}
