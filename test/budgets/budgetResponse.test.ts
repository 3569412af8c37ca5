import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { budgetLiftedEvent } from '../../src/orchestrations/budgetModel';
import type { BudgetResponseStatus } from '../../src/orchestrations/budgetModel';
import { BudgetReplay, FakeBudgetWorld, budgetInput } from '../support/budgetReplay';

let replay: BudgetReplay;
afterEach(() => replay.stop());

const devApp = {
  subscriptionId: '00000000-0000-0000-0000-00000000aaaa',
  resourceGroup: 'rg',
  name: 'dev-app',
};
const reset = Date.parse('2026-12-01T00:00:00Z');

describe('a budget response replayed under virtual time', () => {
  it('freezes the budget’s environments, tells people, holds until the budget resets, then lifts and says so', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({}));
    const id = await replay.begin(budgetInput());
    assert.deepEqual(replay.fake.frozen(), ['dev', 'prod']);
    assert.equal(replay.status(id).phase, 'holding');
    assert.equal(replay.fake.notices.length, 1);
    const crossed = replay.fake.notices.at(0);
    assert.ok(crossed);
    assert.deepEqual(crossed.to, { environments: ['dev', 'prod'], budget: 'team-budget' });
    assert.equal(crossed.notice.urgent, true);
    assert.match(crossed.notice.text, /spending reached 100% of \$1,000\.00 \(spent \$1,012\.50\)/);
    assert.match(crossed.notice.text, /frozen until the budget resets at 2026-12-01T00:00:00\.000Z/);
    assert.match(crossed.notice.text, /POST \/api\/targets\/\{target\}\/releases/);

    await replay.clock.advanceTo(reset - 60_000, () => replay.settle());
    assert.deepEqual(replay.fake.frozen(), ['dev', 'prod'], 'still frozen a minute before the reset');
    const done = (await replay.finish(id)) as BudgetResponseStatus;
    assert.ok(replay.clock.now() >= reset);
    assert.deepEqual(replay.fake.frozen(), []);
    assert.equal(done.phase, 'done');
    assert.equal(done.lifted?.reason, 'the budget reset');
    assert.equal(replay.fake.notices.length, 2);
    assert.match(
      replay.fake.notices.at(1)?.notice.text ?? '',
      /the budget reset .*releases to dev, prod are no longer frozen/,
    );
    assert.deepEqual(
      replay.fake.audit.map((e) => [e.action, e.outcome, e.subject.name]),
      [
        ['freeze.set', 'frozen', 'dev'],
        ['freeze.set', 'frozen', 'prod'],
        ['budget.alert', 'told', 'team-budget'],
        ['freeze.lifted', 'lifted', 'dev'],
        ['freeze.lifted', 'lifted', 'prod'],
      ],
    );
  });

  it('only tells people at a notifying threshold, and waits for nothing', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({}));
    const input = budgetInput({
      key: 'team-budget:actual:80:2026-11-01',
      figures: { ...budgetInput().figures, thresholdPercent: 80, spent: 812 },
      threshold: { percent: 80, kind: 'actual' },
      actions: { freeze: false, stopNonProduction: false },
    });
    const id = await replay.begin(input);
    assert.ok(replay.ended(id), 'it ended without a timer');
    assert.deepEqual(replay.fake.changes, []);
    assert.equal(replay.fake.notices.length, 1);
    assert.equal(replay.fake.notices.at(0)?.notice.urgent, false);
    assert.match(replay.fake.notices.at(0)?.notice.text ?? '', /reached 80% .*Shepherd only tells you\./);
  });

  it('at the critical threshold stops only the slots that run, and starts only those when the budget resets', async () => {
    replay = new BudgetReplay(
      new FakeBudgetWorld({ 'dev-app': { production: 'Running', staging: 'Running', old: 'Stopped' } }),
    );
    const id = await replay.begin(
      budgetInput({
        key: 'team-budget:actual:120:2026-11-01',
        threshold: { percent: 120, kind: 'actual' },
        actions: { freeze: true, stopNonProduction: true },
        stop: [{ site: devApp, targets: ['web-dev'], environments: ['dev'] }],
      }),
    );
    assert.deepEqual(replay.fake.changes, [
      'freeze dev',
      'freeze prod',
      'stop dev-app/production',
      'stop dev-app/staging',
    ]);
    assert.deepEqual(replay.status(id).stopped, ['dev-app', 'dev-app/staging']);
    assert.match(
      replay.fake.notices.at(0)?.notice.text ?? '',
      /stopped the non-production apps dev-app, dev-app\/staging/,
    );
    await replay.finish(id, 15 * 24 * 3_600_000);
    assert.deepEqual(replay.fake.changes.slice(4), [
      'lift dev',
      'lift prod',
      'start dev-app/production',
      'start dev-app/staging',
    ]);
    assert.equal(replay.fake.slots.get('dev-app/old'), 'Stopped', 'a slot a person stopped stays stopped');
    assert.deepEqual(
      replay.fake.audit.filter((e) => e.action.startsWith('apps.')).map((e) => [e.action, e.subject.name]),
      [
        ['apps.stopped', 'web-dev'],
        ['apps.stopped', 'web-dev'],
        ['apps.started', 'web-dev'],
        ['apps.started', 'web-dev'],
      ],
    );
  });

  it('ends the hold of one environment when a person lifts its freeze early, starting its apps; the rest waits for the reset', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({ 'dev-app': { production: 'Running' } }));
    const id = await replay.begin(
      budgetInput({
        actions: { freeze: true, stopNonProduction: true },
        stop: [{ site: devApp, targets: ['web-dev'], environments: ['dev'] }],
      }),
    );
    // The lifting route lifts the stored freeze of dev itself, then tells the budget's work.
    const dev = 'environment:dev/budget:team-budget:2026-11-01';
    const frozenDev = replay.fake.freezes.get(dev);
    assert.ok(frozenDev);
    replay.fake.freezes.set(dev, {
      ...frozenDev,
      lifted: { at: '2026-11-21T09:00:00Z', by: { kind: 'person', name: 'ana' }, reason: 'budget raised' },
    });
    await replay.clock.advance(3_600_000, () => replay.settle());
    await replay.raise(id, budgetLiftedEvent, { environment: 'dev', by: 'ana', reason: 'budget raised' });
    assert.equal(replay.fake.slots.get('dev-app/production'), 'Running', 'dev’s app started at once');
    assert.deepEqual(replay.fake.frozen(), ['prod'], 'production stays frozen');
    assert.equal(replay.status(id).phase, 'holding');
    assert.match(
      replay.fake.notices.at(-1)?.notice.text ?? '',
      /ana lifted the freeze of dev: budget raised; started dev-app again/,
    );
    const done = (await replay.finish(id, 15 * 24 * 3_600_000)) as BudgetResponseStatus;
    assert.ok(replay.clock.now() >= reset);
    assert.deepEqual(replay.fake.frozen(), []);
    assert.equal(done.lifted?.reason, 'the budget reset');
    assert.deepEqual(replay.fake.changes, [
      'freeze dev',
      'freeze prod',
      'stop dev-app/production',
      'start dev-app/production',
      'lift prod',
    ]);
  });

  it('keeps a person’s lift that arrives while apps are being stopped, and acts on it once they are', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({ 'dev-app': { production: 'Running' } }));
    const letStopFinish = replay.fake.holdNext('setAppState');
    const id = await replay.begin(
      budgetInput({
        actions: { freeze: true, stopNonProduction: true },
        stop: [{ site: devApp, targets: ['web-dev'], environments: ['dev'] }],
      }),
    );
    assert.equal(replay.status(id).phase, 'acting', 'the stop is still in flight');
    await replay.raise(id, budgetLiftedEvent, { environment: 'dev', by: 'ana', reason: 'budget raised' });
    letStopFinish();
    await replay.runUntil(
      'dev’s app to start again',
      () =>
        replay.fake.slots.get('dev-app/production') === 'Running' &&
        replay.fake.changes.includes('stop dev-app/production'),
    );
    assert.deepEqual(replay.fake.changes, [
      'freeze dev',
      'freeze prod',
      'stop dev-app/production',
      'lift dev',
      'start dev-app/production',
    ]);
    assert.equal(replay.status(id).phase, 'holding', 'production stays frozen until the reset');
    assert.ok(replay.clock.now() < reset);
  });

  it('tells people urgently what it could not do when Azure keeps refusing the freeze, and holds nothing', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({}));
    replay.fake.failNext('setFreezes', 10);
    const id = await replay.begin(budgetInput());
    const done = (await replay.finish(id)) as BudgetResponseStatus;
    assert.equal(done.phase, 'done');
    assert.deepEqual(replay.fake.frozen(), []);
    assert.match(done.problems.join(), /the freeze could not be set \(setFreezes refused \(503\)/);
    assert.equal(replay.fake.notices.at(0)?.notice.urgent, true);
    assert.match(replay.fake.notices.at(0)?.notice.text ?? '', /could NOT do everything/);
  });

  it('retries a freeze Azure refuses for a moment, and freezes', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({}));
    replay.fake.failNext('setFreezes', 2);
    const id = await replay.begin(budgetInput());
    await replay.runUntil('the freeze', () => replay.status(id).phase === 'holding');
    assert.deepEqual(replay.fake.frozen(), ['dev', 'prod']);
    assert.deepEqual(replay.status(id).problems, []);
  });

  it('shares one freeze between two thresholds of the same period, lifted once', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({}));
    const first = await replay.begin(budgetInput());
    const second = await replay.begin(
      budgetInput({ key: 'team-budget:actual:120:2026-11-01', threshold: { percent: 120, kind: 'actual' } }),
    );
    assert.deepEqual(replay.fake.changes, ['freeze dev', 'freeze prod']);
    await replay.finish(first, 15 * 24 * 3_600_000);
    await replay.finish(second);
    assert.deepEqual(replay.fake.changes, ['freeze dev', 'freeze prod', 'lift dev', 'lift prod']);
    assert.equal(
      replay.fake.audit.filter((e) => e.action === 'freeze.set').length,
      2,
      'set once per environment',
    );
    assert.equal(
      replay.fake.audit.filter((e) => e.action === 'freeze.lifted').length,
      2,
      'lifted once per environment',
    );
  });

  it('keeps its custom status within Azure’s limit when many apps cannot be stopped', async () => {
    replay = new BudgetReplay(new FakeBudgetWorld({}));
    replay.fake.failNext('readAppStates', 1000);
    const stop = Array.from({ length: 40 }, (_, i) => ({
      site: { ...devApp, name: `dev-app-${String(i).padStart(2, '0')}-${'x'.repeat(40)}` },
      targets: [`web-dev-${i}`],
      environments: ['dev'],
    }));
    const id = await replay.begin(budgetInput({ actions: { freeze: true, stopNonProduction: true }, stop }));
    await replay.runUntil('the hold', () => replay.status(id).phase === 'holding', 24 * 3_600_000);
    const shown = replay.status(id);
    assert.ok(JSON.stringify(shown).length <= 4_096, `${JSON.stringify(shown).length} characters`);
    assert.equal(shown.problems.at(-1), '… and 35 more');
    const done = (await replay.finish(id, 15 * 24 * 3_600_000)) as BudgetResponseStatus;
    assert.equal(done.problems.length, 40, 'the output keeps every problem');
  });
});
