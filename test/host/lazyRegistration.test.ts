import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrchestrationHandler } from 'durable-functions';
import { VirtualClock } from '../../dev/host/clock';
import { fromTypedData, invokeFunction, jsonData } from '../../dev/host/invoke';
import { activity, orchestration } from '../../src/registration';
import { DurableReplay, registerForReplay } from '../support/durableReplay';

/** A small flow with an activity, a custom status and a timer, so it runs over several episodes. */
const doubleAndWait: OrchestrationHandler = function* (context) {
  const { n } = context.df.getInput<{ n: number }>();
  const doubled = (yield context.df.callActivity('lazyDouble', n)) as number;
  context.df.setCustomStatus({ doubled });
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  return { doubled, replayed: context.df.isReplaying };
};

const noFakeActivities = {
  run: (name: string) => Promise.reject(new Error(`${name} is not a fake activity`)),
  held: () => 0,
};

describe('functions registered by name, their code loaded on first call', () => {
  it('runs an orchestration as durable-functions’ own registration runs it, loading its code once', async () => {
    const core = registerForReplay('eagerDoubleAndWait', doubleAndWait, []);
    const loads: string[] = [];
    orchestration('lazyDoubleAndWait', () => {
      loads.push('flow');
      return Promise.resolve(doubleAndWait);
    });
    activity('lazyDouble', () => {
      loads.push('activity');
      return Promise.resolve((n: unknown) => Number(n) * 2);
    });
    const replay = new DurableReplay(core, noFakeActivities, new VirtualClock());
    try {
      const eager = await replay.finish(await replay.startInstance('eagerDoubleAndWait', 'eager', { n: 21 }));
      const lazy = await replay.finish(await replay.startInstance('lazyDoubleAndWait', 'lazy', { n: 21 }));
      assert.deepEqual(eager, { doubled: 42, replayed: false });
      assert.deepEqual(lazy, eager);
      assert.deepEqual(replay.customStatus('lazy'), { doubled: 42 });
      // Each flow runs over three episodes and calls the activity: the lazy flow and the activity load once.
      assert.deepEqual(loads.sort(), ['activity', 'flow']);
    } finally {
      replay.stop();
    }
  });

  it('loads a handler again on the next call when its load failed', async () => {
    const core = registerForReplay('unusedForRetry', doubleAndWait, []);
    let attempts = 0;
    activity('flakyLoad', () => {
      attempts += 1;
      if (attempts === 1) return Promise.reject(new Error('the module threw while it loaded'));
      return Promise.resolve((n: unknown) => Number(n) + 1);
    });
    const fn = core.functions.get('flakyLoad');
    assert.ok(fn);
    await assert.rejects(
      invokeFunction(core, fn, { trigger: jsonData(1) }),
      /the module threw while it loaded/,
    );
    const answer = await invokeFunction(core, fn, { trigger: jsonData(1) });
    assert.equal(fromTypedData(answer.returnValue), 2);
    await invokeFunction(core, fn, { trigger: jsonData(1) });
    assert.equal(attempts, 2);
  });
});
