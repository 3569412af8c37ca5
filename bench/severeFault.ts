import { releaseInstanceId } from '../src/domain/releaseId';
import { rigRegistry, rigTarget, startReleaseRig } from '../test/support/releaseRig';
import type { ReleaseRig } from '../test/support/releaseRig';
import { call, waitFor } from '../test/support/testHost';

const intervalMinutes = 5;

/** Resolves once `check` holds, looking every few real milliseconds; says whether it did in time. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

async function ended(rig: ReleaseRig, id: string): Promise<{ outcome?: string; reason?: string }> {
  return waitFor(
    `${id} to end`,
    async () => {
      const res = await call(rig.url, `/api/releases/${encodeURIComponent(id)}`, { key: rig.functionKey });
      const view = res.body as { runtimeStatus: string; outcome?: string; reason?: string };
      return view.runtimeStatus === 'Completed' ? view : undefined;
    },
    120_000,
  );
}

/**
 * How long users meet an image that fails half their requests, in the sandbox with steady load and
 * metrics a minute late (as `npm start` has them), on a target with default smoke checks (`/`) and
 * 5-minute windows: from the routing rule that sends users to the slot until none does, over the
 * interval. A bad image stopped by its smoke check never meets users; it is pushed again (a new tag)
 * until one reaches its canary, and the figure is that one's.
 */
export async function severeFaultExposure(): Promise<Record<string, number>> {
  const rig = await startReleaseRig({
    secondsPerMinute: 10,
    metricsDelaySeconds: 60,
    sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
    targets: [
      rigTarget('web', {
        canary: { steps: [10, 50, 100], intervalMinutes },
        smokeChecks: [{ path: '/', expectStatus: 200 }],
      }),
    ],
  });
  try {
    void rig.loadOn('web', 100);
    const site = rig.siteNamed('web');
    for (let attempt = 1; attempt <= 10; attempt++) {
      const push = await rig.sandbox.registry.push(`contoso/web:9.0.${attempt}`, { errorRate: 0.5 });
      const id = releaseInstanceId('web', push.digest);
      let finished = false;
      void ended(rig, id)
        .finally(() => (finished = true))
        .catch(() => undefined);
      await until(() => finished || site.rules().length > 0, 120_000);
      if (site.rules().length === 0) continue;
      const routedAt = rig.clock.now();
      await until(() => site.rules().length === 0, 120_000);
      const clearedAt = rig.clock.now();
      const view = await ended(rig, id);
      if (view.outcome !== 'rolledBack')
        throw new Error(`the bad image ended ${view.outcome ?? '?'}: ${view.reason ?? ''}`);
      return {
        'release.severe_fault_exposure_intervals': (clearedAt - routedAt) / (intervalMinutes * 60_000),
        'release.severe_fault_exposure_sandbox_s': (clearedAt - routedAt) / 1000,
        'release.severe_fault_pushes_until_canary': attempt,
      };
    }
    throw new Error('no bad image got past its smoke check in ten pushes');
  } finally {
    await rig.stop();
  }
}
