import type { ChildProcess } from 'node:child_process';
import type { ReleaseRig } from './releaseRig';
import { call, startHostProcess } from './testHost';

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
