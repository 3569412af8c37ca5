import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import { parseSchedule } from '../../dev/host/timers';
import { call, startTestHost, tempDir, testKeys } from '../support/testHost';

type Seen = { kind: string; value: unknown }[];

describe('timer schedules', () => {
  const at = (iso: string): number => Date.parse(iso);
  const cases: { schedule: string; after: string; next: string }[] = [
    { schedule: '0 0 * * * *', after: '2026-01-01T00:30:00Z', next: '2026-01-01T01:00:00.000Z' },
    { schedule: '0 */5 * * * *', after: '2026-01-01T00:03:10Z', next: '2026-01-01T00:05:00.000Z' },
    { schedule: '30 0 2 * * 1-5', after: '2026-01-02T03:00:00Z', next: '2026-01-05T02:00:30.000Z' },
    { schedule: '00:10:00', after: '2026-01-01T00:00:00Z', next: '2026-01-01T00:10:00.000Z' },
    { schedule: '1.00:00:00', after: '2026-01-01T00:00:00Z', next: '2026-01-02T00:00:00.000Z' },
  ];
  for (const c of cases) {
    it(`"${c.schedule}" after ${c.after} fires at ${c.next}`, () => {
      assert.equal(new Date(parseSchedule(c.schedule)(at(c.after))).toISOString(), c.next);
    });
  }

  it('reads %Setting% references from app settings', () => {
    assert.equal(
      new Date(parseSchedule('%EVERY%', { EVERY: '0 0 * * * *' })(at('2026-01-01T05:10:00Z'))).toISOString(),
      '2026-01-01T06:00:00.000Z',
    );
    assert.throws(() => parseSchedule('%MISSING%', {}), /app setting MISSING, which is not set/);
  });

  it('rejects five-field cron expressions, which Azure does not take', () => {
    assert.throws(() => parseSchedule('0 * * * *'), /must have six fields/);
  });
});

describe('timer triggers through the local host', () => {
  it('runs runOnStartup functions at start and scheduled ones when the clock reaches them', async () => {
    const clock = new VirtualClock(Date.parse('2026-01-01T00:30:00Z'));
    const host = await startTestHost({ clock });
    try {
      await host.idle();
      const atStart = (await call(host.url, '/api/observations')).body as Seen;
      assert.deepEqual(
        atStart.map((o) => o.kind),
        ['atStartup'],
      );

      await clock.advance(29 * 60_000, () => host.idle());
      assert.equal(
        ((await call(host.url, '/api/observations')).body as Seen).filter((o) => o.kind === 'hourly').length,
        0,
      );

      await clock.advance(3 * 60 * 60_000, () => host.idle());
      const hourly = ((await call(host.url, '/api/observations')).body as Seen).filter(
        (o) => o.kind === 'hourly',
      );
      assert.deepEqual(
        hourly.map((o) => o.value),
        [{ isPastDue: false }, { isPastDue: false }, { isPastDue: false }],
      );
    } finally {
      await host.stop();
    }
  });

  it('runs a timer on demand through POST /admin/functions/{name} with the master key only', async () => {
    const host = await startTestHost({ clock: new VirtualClock(Date.parse('2026-03-01T00:10:00Z')) });
    try {
      await call(host.url, '/api/observations', { method: 'DELETE' });
      const refused = await call(host.url, '/admin/functions/hourly', {
        method: 'POST',
        key: testKeys.host.default,
        body: {},
      });
      assert.equal(refused.status, 401);
      const res = await call(host.url, '/admin/functions/hourly', {
        method: 'POST',
        key: testKeys.master,
        body: {},
      });
      assert.equal(res.status, 202);
      await host.idle();
      const seen = (await call(host.url, '/api/observations')).body as Seen;
      assert.deepEqual(seen, [{ kind: 'hourly', value: { isPastDue: false } }]);
      assert.equal(
        (await call(host.url, '/admin/functions/nothing', { method: 'POST', key: testKeys.master })).status,
        404,
      );
    } finally {
      await host.stop();
    }
  });

  it('runs a schedule missed while the host was down once at start-up, marked past due', async () => {
    const dataDir = tempDir('timers');
    const first = await startTestHost({
      clock: new VirtualClock(Date.parse('2026-02-01T00:30:00Z')),
      dataDir,
    });
    await first.idle();
    await call(first.url, '/api/observations', { method: 'DELETE' });
    await first.stop();
    const clock = new VirtualClock(Date.parse('2026-02-01T03:15:00Z'));
    const second = await startTestHost({ clock, dataDir });
    try {
      await second.idle();
      // The first host armed 01:00; the second starts after it and catches up once, not three times.
      const seen = ((await call(second.url, '/api/observations')).body as Seen).filter(
        (o) => o.kind === 'hourly',
      );
      assert.deepEqual(
        seen.map((o) => o.value),
        [{ isPastDue: true }],
      );
    } finally {
      await second.stop();
    }
  });
});
