import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { observe } from './observations';

/**
 * The patterns of the Durable Functions JavaScript samples, written for this test app: fan-out/fan-in,
 * human interaction with a wait longer than Azure Storage keeps as one timer, a monitor, an eternal
 * orchestration and sub-orchestrations. (Chaining and retries are `sequence` and `withRetry`.)
 */
const hour = 60 * 60_000;
const day = 24 * hour;

function later(context: OrchestrationContext, ms: number): Date {
  return new Date(context.df.currentUtcDateTime.getTime() + ms);
}

const checks = new Map<string, number>();

df.app.activity('listShards', {
  handler: (count: number) => Array.from({ length: count }, (_, i) => `shard-${String(i)}`),
});
df.app.activity('measureShard', { handler: (shard: string) => shard.length * 10 });
df.app.activity('requestApproval', {
  handler: (request: { id: string; approver: string }) => {
    observe('approval requested', request);
  },
});
df.app.activity('escalate', {
  handler: (id: string) => {
    observe('escalated', id);
    return `escalated ${id}`;
  },
});
/** Reports a job done on its `doneOnCheck`-th check. */
df.app.activity('checkJob', {
  handler: (job: { key: string; doneOnCheck: number }) => {
    const check = (checks.get(job.key) ?? 0) + 1;
    checks.set(job.key, check);
    return check >= job.doneOnCheck ? 'done' : 'running';
  },
});
df.app.activity('sweep', { handler: (round: number) => `swept round ${String(round)}` });
df.app.activity('provisionStep', {
  handler: (step: { device: string; step: string }) => `${step.device}:${step.step}`,
});

/** Fan-out/fan-in: one activity per shard, all at once, then the sum. */
df.app.orchestration('fanOutFanIn', function* (context) {
  const shards = (yield context.df.callActivity('listShards', context.df.getInput<number>())) as string[];
  context.df.setCustomStatus({ shards: shards.length });
  const sizes = (yield context.df.Task.all(
    shards.map((s) => context.df.callActivity('measureShard', s)),
  )) as number[];
  return { shards: shards.length, total: sizes.reduce((a, b) => a + b, 0) };
});

/**
 * Human interaction: asks for an approval, then waits ten days for it or escalates. Ten days is more
 * than Azure Storage keeps as one timer, so the host carries the wait out as a chain of shorter ones.
 */
df.app.orchestration('humanApproval', function* (context) {
  const id = context.df.instanceId;
  yield context.df.callActivity('requestApproval', { id, approver: 'ops' });
  context.df.setCustomStatus({ waitingFor: 'approval', until: later(context, 10 * day).toISOString() });
  const deadline = context.df.createTimer(later(context, 10 * day));
  const answer = context.df.waitForExternalEvent('approval');
  const winner: unknown = yield context.df.Task.any([answer, deadline]);
  if (winner === answer) {
    deadline.cancel();
    context.df.setCustomStatus({ answered: true });
    return { outcome: 'approved', by: answer.result };
  }
  context.df.setCustomStatus({ answered: false });
  return { outcome: (yield context.df.callActivity('escalate', id)) as string };
});

/**
 * A race of a ten-day timer and an event where the event wins and the orchestrator carries on without
 * cancelling the timer: the instance stays Running until the timer's chain ends, as in Azure.
 */
df.app.orchestration('uncancelledWait', function* (context) {
  const deadline = context.df.createTimer(later(context, 10 * day));
  const answer = context.df.waitForExternalEvent('answer');
  const winner: unknown = yield context.df.Task.any([answer, deadline]);
  if (winner !== answer) return 'no answer';
  context.df.setCustomStatus({ answered: true });
  return (yield context.df.callActivity('greet', answer.result)) as string;
});

/** Monitor: checks a job every `pollMinutes` until it is done or `expiryHours` have passed. */
df.app.orchestration('monitor', function* (context) {
  const job = context.df.getInput<{
    key: string;
    doneOnCheck: number;
    pollMinutes: number;
    expiryHours: number;
  }>();
  const expiry = later(context, job.expiryHours * hour);
  let checksMade = 0;
  while (context.df.currentUtcDateTime < expiry) {
    const state = (yield context.df.callActivity('checkJob', job)) as string;
    checksMade++;
    if (state === 'done')
      return { done: true, checks: checksMade, at: context.df.currentUtcDateTime.toISOString() };
    context.df.setCustomStatus({ checks: checksMade, lastState: state });
    yield context.df.createTimer(later(context, job.pollMinutes * 60_000));
  }
  return { done: false, checks: checksMade, at: context.df.currentUtcDateTime.toISOString() };
});

/** Eternal: sweeps once an hour, for ever, starting afresh each round so its history stays short. */
df.app.orchestration('eternalSweeper', function* (context) {
  const round = context.df.getInput<number>();
  const swept = (yield context.df.callActivity('sweep', round)) as string;
  context.df.setCustomStatus({ round, swept });
  yield context.df.createTimer(later(context, hour));
  context.df.continueAsNew(round + 1);
  return undefined;
});

/** Sub-orchestrations: provisions each device in a child orchestration of its own, all at once. */
df.app.orchestration('provisionDevices', function* (context) {
  const devices = context.df.getInput<string[]>();
  const children = devices.map((device) =>
    context.df.callSubOrchestrator('provisionDevice', device, `${context.df.instanceId}-${device}`),
  );
  return (yield context.df.Task.all(children)) as string[][];
});

df.app.orchestration('provisionDevice', function* (context) {
  const device = context.df.getInput<string>();
  const done: string[] = [];
  for (const step of ['register', 'configure']) {
    done.push((yield context.df.callActivity('provisionStep', { device, step })) as string);
  }
  return done;
});
