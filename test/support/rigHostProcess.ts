import type { ChildProcess } from 'node:child_process';
import { rigRegistry, rigTarget, startReleaseRig } from './releaseRig';
import type { ReleaseRig } from './releaseRig';
import { call, startHostProcess, waitFor } from './testHost';

/**
 * The rig the restart tests pull hosts away under: one canary target, `web`, under steady load, the
 * sandbox here and no host yet (each test starts its own process), on one clock where a sandbox
 * minute is two real seconds.
 */
export async function startRigForHostProcesses(): Promise<ReleaseRig> {
  const rig = await startReleaseRig({
    secondsPerMinute: 2,
    sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
    inProcessHost: false,
    targets: [rigTarget('web', { gates: { minRequests: 15, maxAverageResponseMs: 250 }, bakeMinutes: 1 })],
  });
  void rig.loadOn('web', 200);
  return rig;
}

/** Runs the local host for `appDir` as its own process, so it can be killed outright, on the rig's port, data and clock. */
export async function startRigHostProcess(rig: ReleaseRig, appDir: string): Promise<ChildProcess> {
  const { child } = await startHostProcess([
    ...['--app', appDir, '--port', String(rig.port), '--data-dir', rig.dataDir],
    ...['--settings', rig.settingsFile, '--clock', rig.clock.describe()],
  ]);
  return child;
}

/** A release as `GET /api/releases/{id}` shows it; undefined while the host is down or does not know it. */
export async function rigReleaseView<T>(rig: ReleaseRig, releaseId: string): Promise<T | undefined> {
  const res = await call(rig.url, `/api/releases/${encodeURIComponent(releaseId)}`, {
    key: rig.functionKey,
  }).catch(() => undefined);
  return res?.status === 200 ? (res.body as T) : undefined;
}

/** Waits until the release has judged its first canary window: the moment the restart tests pull the host away. */
export async function untilFirstCanaryWindow(
  rig: ReleaseRig,
  releaseId: string,
  what: string,
): Promise<void> {
  await waitFor(
    what,
    async () => {
      const view = await rigReleaseView<{ phase: string; windows: unknown[] }>(rig, releaseId);
      return view?.phase === 'canary' && view.windows.length >= 1 ? view : undefined;
    },
    90_000,
  );
}

/** Kills the host process outright, as a crash or a deploy does, and waits until it is gone. */
export async function killHost(host: ChildProcess): Promise<void> {
  host.kill('SIGKILL');
  await new Promise((resolve) => host.once('exit', resolve));
}
