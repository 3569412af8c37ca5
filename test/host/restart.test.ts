import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stopChild } from '../../dev/childProcess';
import { ScaledClock, VirtualClock } from '../../dev/host/clock';
import {
  call,
  startHostProcess,
  startTestHost,
  tempDir,
  testAppDir,
  testKeys,
  testSettings,
  waitFor,
} from '../support/testHost';

interface Status {
  runtimeStatus: string;
  output: unknown;
  customStatus: { completedSteps?: number } | null;
  historyEvents?: { EventType: string; FireAt?: string }[];
}

/** Starts the local host CLI on the test app as its own process. */
function startHost(
  dataDir: string,
  settingsFile: string,
  extra: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  return startHostProcess([
    ...['--app', testAppDir, '--port', '0'],
    ...['--data-dir', dataDir, '--settings', settingsFile],
    ...extra,
  ]);
}

const statusPath = (id: string): string =>
  `/runtime/webhooks/durabletask/instances/${id}?showHistory=true&code=${testKeys.system.durabletask_extension ?? ''}`;

describe('durable work survives a host restart', () => {
  it('resumes an orchestration after the host process is killed in the middle, and finishes it once', async () => {
    const dataDir = tempDir('restart');
    const settingsFile = join(dataDir, 'local.settings.json');
    writeFileSync(settingsFile, JSON.stringify(testSettings));

    const first = await startHost(dataDir, settingsFile);
    let id: string;
    try {
      const started = await call(first.url, '/api/orchestrators/steps', {
        method: 'POST',
        key: testKeys.host.default,
        body: { count: 6, intervalMs: 200 },
      });
      assert.equal(started.status, 202);
      id = (started.body as { id: string }).id;
      await waitFor('two completed steps', async () => {
        const s = (await call(first.url, statusPath(id))).body as Status;
        return (s.customStatus?.completedSteps ?? 0) >= 2 ? s : undefined;
      });
    } finally {
      first.child.kill('SIGKILL');
      await stopChild(first.child);
    }

    const second = await startHost(dataDir, settingsFile);
    try {
      const done = await waitFor('the orchestration to finish', async () => {
        const s = (await call(second.url, statusPath(id))).body as Status;
        return s.runtimeStatus === 'Completed' ? s : undefined;
      });
      assert.deepEqual(done.output, [0, 2, 4, 6, 8, 10]);
      const completed = done.historyEvents?.filter((e) => e.EventType === 'TaskCompleted') ?? [];
      assert.equal(completed.length, 6, 'each step is run to completion once in the history');
    } finally {
      await stopChild(second.child);
    }
  });

  it('re-arms durable timers from disk when a stopped host starts again', async () => {
    const dataDir = tempDir('timers-restart');
    const start = Date.parse('2026-07-01T00:00:00Z');
    const first = await startTestHost({ clock: new VirtualClock(start), dataDir });
    const res = await call(first.url, '/api/orchestrators/longTimers', {
      method: 'POST',
      key: testKeys.host.default,
    });
    const id = (res.body as { id: string }).id;
    await first.idle();
    await first.stop();

    const clock = new VirtualClock(start + 7 * 60 * 60_000);
    const second = await startTestHost({ clock, dataDir });
    try {
      // The timer due at +6h fires at once; the next two each wait six hours from when they start.
      await clock.advance(11 * 60 * 60_000, () => second.idle());
      assert.equal(((await call(second.url, statusPath(id))).body as Status).runtimeStatus, 'Running');
      await clock.advance(60 * 60_000, () => second.idle());
      const s = (await call(second.url, statusPath(id))).body as Status;
      assert.equal(s.runtimeStatus, 'Completed');
      const { finished } = s.output as { finished: string };
      assert.equal(finished, new Date(start + 19 * 60 * 60_000).toISOString());
    } finally {
      await second.stop();
    }
  });
  it('keeps a scaled clock across a restart, so time goes on from where it stood', async () => {
    const dataDir = tempDir('clock-restart');
    const settingsFile = join(dataDir, 'local.settings.json');
    writeFileSync(settingsFile, JSON.stringify(testSettings));
    // Ten times faster than real time, years ahead of it: no real clock could read this.
    const clock = new ScaledClock(6, Date.parse('2031-05-01T12:00:00Z'));
    const createdAt = async (url: string, id: string): Promise<number> => {
      const res = await call(url, `/api/orchestrators/approval/${id}`, {
        method: 'POST',
        key: testKeys.host.default,
      });
      assert.equal(res.status, 202);
      const status = (await call(url, statusPath(id))).body as { createdTime: string };
      return Date.parse(status.createdTime);
    };

    const first = await startHost(dataDir, settingsFile, ['--clock', clock.describe()]);
    let before: number;
    try {
      before = await createdAt(first.url, 'before-restart');
      assert.ok(Math.abs(before - clock.now()) < 30_000, 'the host reads the clock it was given');
    } finally {
      first.child.kill('SIGKILL');
      await stopChild(first.child);
    }

    const second = await startHost(dataDir, settingsFile);
    try {
      const after = await createdAt(second.url, 'after-restart');
      assert.ok(
        after >= before,
        `${new Date(after).toISOString()} is not before ${new Date(before).toISOString()}`,
      );
      assert.ok(
        Math.abs(after - clock.now()) < 30_000,
        'without --clock the host carries on with the stored one',
      );
    } finally {
      await stopChild(second.child);
    }

    await assert.rejects(
      startTestHost({ clock: new ScaledClock(6, Date.parse('2031-01-01T00:00:00Z')), dataDir }),
      /would see time run backwards/,
    );
  });

  it('carries a ten-day timer, kept as a chain of three-day steps, across a restart in the middle', async () => {
    const dataDir = tempDir('chain-restart');
    const start = Date.parse('2026-08-01T00:00:00Z');
    const day = 24 * 60 * 60_000;
    const firstClock = new VirtualClock(start);
    const first = await startTestHost({ clock: firstClock, dataDir });
    const res = await call(first.url, '/api/orchestrators/humanApproval', {
      method: 'POST',
      key: testKeys.host.default,
    });
    const id = (res.body as { id: string }).id;
    await first.idle();
    await firstClock.advance(4 * day, () => first.idle());
    await first.stop();

    const clock = new VirtualClock(start + 4 * day);
    const second = await startTestHost({ clock, dataDir });
    try {
      await clock.advance(6 * day - 60_000, () => second.idle());
      assert.equal(((await call(second.url, statusPath(id))).body as Status).runtimeStatus, 'Running');
      await clock.advance(60_000, () => second.idle());
      const s = (await call(second.url, statusPath(id))).body as Status;
      assert.equal(s.runtimeStatus, 'Completed');
      assert.deepEqual(s.output, { outcome: `escalated ${id}` });
      assert.deepEqual(
        (s.historyEvents ?? [])
          .filter((e) => e.EventType === 'TimerCreated')
          .map((e) => Date.parse(e.FireAt ?? '') - start),
        [3 * day, 6 * day, 9 * day, 10 * day],
      );
    } finally {
      await second.stop();
    }
  });
});
