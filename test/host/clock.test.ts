import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScaledClock, VirtualClock } from '../../dev/host/clock';
import { adoptClock, readStoredClock, resumeScaledClock, storeClock } from '../../dev/host/clockFile';
import { tempDir } from '../support/testHost';

describe('clocks', () => {
  it('a scaled clock written out and read back in another process is the same clock', () => {
    const clock = new ScaledClock(2, Date.parse('2026-01-01T00:00:00Z'), Date.now() - 1_000);
    const copy = ScaledClock.parse(clock.describe());
    const [a, b] = [clock.now(), copy.now()];
    // Both read Date.now() a moment apart; at 30× that moment is at most a few ms of real time.
    assert.ok(Math.abs(b - a) < 30 * 50, `${a} vs ${b}`);
    assert.ok(a >= Date.parse('2026-01-01T00:00:30Z'), 'one real second before is 30 clock seconds');
    assert.throws(() => ScaledClock.parse('2:soon'), /secondsPerMinute:start:startReal/);
  });

  it('a scaled clock fires timers in time order and never before their time on its own dial', async () => {
    // Sixty times faster than real time: a sandbox minute is one real second.
    const clock = new ScaledClock(1, Date.parse('2026-01-01T00:00:00Z'));
    const start = clock.now();
    const fired: { name: string; at: number; due: number }[] = [];
    await Promise.all(
      [
        ['second', start + 6_000],
        ['first', start + 3_000],
        ['third', start + 9_000],
      ].map(
        ([name, due]) =>
          new Promise<void>((resolve) => {
            clock.schedule(Number(due), () => {
              fired.push({ name: String(name), at: clock.now(), due: Number(due) });
              resolve();
            });
          }),
      ),
    );
    assert.deepEqual(
      fired.map((f) => f.name),
      ['first', 'second', 'third'],
    );
    assert.ok(fired.every((f) => f.at >= f.due));
  });

  it('a cancelled timer never fires', async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const cancel = clock.schedule(1_000, () => (fired = true));
    cancel();
    await clock.advance(5_000);
    assert.equal(fired, false);
    assert.equal(clock.nextDue(), undefined);
  });

  it('a virtual clock fires due timers in order, timers they set included', async () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    clock.schedule(2_000, () => order.push('b'));
    clock.schedule(1_000, () => {
      order.push('a');
      clock.schedule(1_500, () => order.push('a2'));
    });
    await clock.advance(3_000);
    assert.deepEqual(order, ['a', 'a2', 'b']);
    assert.equal(clock.now(), 3_000);
  });
  it('a scaled clock kept in a data folder carries on from where it stands when resumed', () => {
    const dataDir = tempDir('clock');
    assert.equal(readStoredClock(dataDir), undefined);
    const first = new ScaledClock(2, Date.parse('2030-01-01T00:00:00Z'), Date.now() - 10_000);
    storeClock(dataDir, first);
    const same = resumeScaledClock(dataDir, 2);
    assert.equal(same.describe(), first.describe(), 'at the same rate it is the very same clock');
    const standing = first.now();
    const faster = resumeScaledClock(dataDir, 1);
    assert.equal(faster.secondsPerMinute, 1);
    assert.ok(faster.now() >= standing, 'a new rate starts where the stored clock stood');
    assert.ok(faster.now() - standing < 60 * 50, 'and not far beyond it');
  });

  it('a data folder refuses a clock that reads earlier than the one kept there', () => {
    const dataDir = tempDir('clock-behind');
    adoptClock(dataDir, new ScaledClock(2, Date.parse('2030-01-01T00:00:00Z')));
    assert.throws(
      () => adoptClock(dataDir, new ScaledClock(2, Date.parse('2029-12-31T00:00:00Z'))),
      /earlier than 2030-01-01T00:00:\d\d\.\d+Z .* would see time run backwards/,
    );
    const ahead = new ScaledClock(2, Date.parse('2030-02-01T00:00:00Z'));
    adoptClock(dataDir, ahead);
    assert.equal(readStoredClock(dataDir)?.describe(), ahead.describe());
  });
});
