import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { observe } from './observations';

const attempts = new Map<string, number>();

df.app.activity('double', { handler: (n: number) => n * 2 });

/** Fails until it has been called `succeedOn` times for `key`. */
df.app.activity('flaky', {
  handler: (input: { key: string; succeedOn: number }) => {
    const attempt = (attempts.get(input.key) ?? 0) + 1;
    attempts.set(input.key, attempt);
    observe('flaky', { key: input.key, attempt });
    if (attempt < input.succeedOn) throw new Error(`attempt ${attempt} of ${input.key} failed`);
    return `succeeded on attempt ${attempt}`;
  },
});

df.app.activity('greet', { handler: (name: string) => `hello ${name}` });

function minutesFrom(context: OrchestrationContext, minutes: number): Date {
  return new Date(context.df.currentUtcDateTime.getTime() + minutes * 60_000);
}

const sequence: OrchestrationHandler = function* (context) {
  const a = (yield context.df.callActivity('double', 1)) as number;
  context.df.setCustomStatus({ step: 'first done', a });
  const b = (yield context.df.callActivity('double', a)) as number;
  const fanOut = (yield context.df.Task.all([
    context.df.callActivity('double', 10),
    context.df.callActivity('double', 20),
  ])) as number[];
  const greeting = (yield context.df.callActivity('greet', 'shepherd')) as string;
  context.df.setCustomStatus({ step: 'all done' });
  return { a, b, fanOut, greeting };
};
df.app.orchestration('sequence', sequence);

df.app.orchestration('withRetry', function* (context) {
  const input = context.df.getInput<{
    key: string;
    succeedOn: number;
    maxAttempts: number;
    backoffCoefficient?: number;
  }>();
  const retry = new df.RetryOptions(30_000, input.maxAttempts);
  if (input.backoffCoefficient !== undefined) retry.backoffCoefficient = input.backoffCoefficient;
  try {
    return (yield context.df.callActivityWithRetry('flaky', retry, input)) as string;
  } catch (err) {
    return `gave up: ${err instanceof Error ? err.message : String(err)}`;
  }
});

df.app.orchestration('longTimers', function* (context) {
  const started = context.df.currentUtcDateTime.toISOString();
  for (let i = 0; i < 3; i++) yield context.df.createTimer(minutesFrom(context, 6 * 60));
  return { started, finished: context.df.currentUtcDateTime.toISOString() };
});

df.app.orchestration('approval', function* (context) {
  const timeout = context.df.createTimer(minutesFrom(context, 60));
  const approval = context.df.waitForExternalEvent('approve');
  const winner: unknown = yield context.df.Task.any([approval, timeout]);
  if (winner === approval) {
    timeout.cancel();
    return { outcome: 'approved', by: approval.result };
  }
  return { outcome: 'timed out', at: context.df.currentUtcDateTime.toISOString() };
});

df.app.orchestration('counter', function* (context) {
  const n = context.df.getInput<number | null>() ?? 0;
  if (n >= 3) return n;
  yield context.df.createTimer(minutesFrom(context, 1));
  context.df.continueAsNew(n + 1);
  return undefined;
});

df.app.orchestration('parent', function* (context) {
  const child: unknown = yield context.df.callSubOrchestrator('sequence');
  return { child };
});

df.app.orchestration('failing', function* (context) {
  yield context.df.callActivity('flaky', { key: `always-${context.df.instanceId}`, succeedOn: 1000 });
  return 'unreachable';
});

/** Steps with a short real-time wait between them; used to kill the host in the middle. */
df.app.orchestration('steps', function* (context) {
  const { count, intervalMs } = context.df.getInput<{ count: number; intervalMs: number }>();
  const done: number[] = [];
  for (let i = 0; i < count; i++) {
    done.push((yield context.df.callActivity('double', i)) as number);
    context.df.setCustomStatus({ completedSteps: done.length });
    if (!context.df.isReplaying) observe('step', { instanceId: context.df.instanceId, i });
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + intervalMs));
  }
  return done;
});

/** Waits ten minutes before it listens, so an event raised right after start arrives early. */
df.app.orchestration('lateListener', function* (context) {
  yield context.df.createTimer(minutesFrom(context, 10));
  const data: unknown = yield context.df.waitForExternalEvent('go');
  return { data };
});

/** A plain chain of activities, for measuring what replay costs as history grows. */
df.app.orchestration('chain', function* (context) {
  const length = context.df.getInput<number>();
  let total = 0;
  for (let i = 0; i < length; i++) total += (yield context.df.callActivity('double', i)) as number;
  return total;
});

/** An activity that uses the durable client, as Shepherd's does to find and signal other instances. */
df.app.activity('signalOther', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: { target: string; event: string }, context) => {
    const client = df.getClient(context);
    await client.raiseEvent(input.target, input.event, 'from an activity');
    return (await client.getStatus(input.target)).runtimeStatus;
  },
});

df.app.orchestration('signaller', function* (context) {
  const { target } = context.df.getInput<{ target: string }>();
  return (yield context.df.callActivity('signalOther', { target, event: 'go' })) as string;
});

/** Sets a custom status of `size` characters, for the 16 KB limit Azure puts on it. */
df.app.orchestration('sizedStatus', function* (context) {
  context.df.setCustomStatus('s'.repeat(context.df.getInput<number>()));
  return (yield context.df.callActivity('double', 1)) as number;
});

/** Reports the orchestration versions the host stamped on it and on a sub-orchestration it starts. */
df.app.orchestration('versioned', function* (context) {
  const sub = (yield context.df.callSubOrchestrator('reportVersion')) as string | null;
  return { version: context.df.version ?? null, sub };
});
df.app.orchestration('reportVersion', function* (context) {
  yield context.df.callActivity('double', 1);
  return context.df.version ?? null;
});
