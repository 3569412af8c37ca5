import type { ChildProcess } from 'node:child_process';
import type { ReleaseRig } from './releaseRig';
import { call, startHostProcess, waitFor } from './testHost';

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
