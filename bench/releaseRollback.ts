import { performance } from 'node:perf_hooks';
import { releaseInstanceId } from '../src/domain/releaseId';
import { fixture } from '../test/support/fixtures';
import { siteResourceId } from '../src/azure/siteRef';
import { rigRegistry, rigSite, rigTarget, startReleaseRig } from '../test/support/releaseRig';
import type { ReleaseRig } from '../test/support/releaseRig';
import { call, waitFor } from '../test/support/testHost';

const intervalMinutes = 1;

/** Resolves once `check` holds, looking every few real milliseconds. */
async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

interface ReleaseView {
  phase: string;
  runtimeStatus: string;
  outcome?: string;
  windows: { verdict: string; end: string }[];
}

async function releaseView(rig: ReleaseRig, releaseId: string): Promise<ReleaseView> {
  const res = await call(rig.url, `/api/releases/${encodeURIComponent(releaseId)}`, { key: rig.functionKey });
  return res.body as ReleaseView;
}

function finished(rig: ReleaseRig, releaseId: string): Promise<ReleaseView> {
  return waitFor(
    `${releaseId} to finish`,
    async () => {
      const view = await releaseView(rig, releaseId);
      return view.runtimeStatus === 'Completed' ? view : undefined;
    },
    120_000,
  );
}

/**
 * How fast a release takes traffic off a bad image, in the sandbox with steady load on production:
 * from the end of the first window that failed until no routing rule sends anyone to the slot (in
 * sandbox time, as a multiple of the analysis interval), and from an alert's arrival until the same
 * (in real milliseconds).
 */
export async function releaseRollback(): Promise<Record<string, number>> {
  // Ten real seconds per sandbox minute: slow enough that the host's own work is not magnified much.
  const rig = await startReleaseRig({
    secondsPerMinute: 10,
    sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
    targets: [
      rigTarget('web', {
        canary: { steps: [10, 50, 100], intervalMinutes },
        // What is measured is the relief after the first failed window, so that one rolls back.
        gates: { minRequests: 15, failureLimit: 1 },
        bakeMinutes: 1,
      }),
    ],
  });
  try {
    void rig.loadOn('web', 100);
    const site = rig.siteNamed('web');
    const routed = (): boolean => site.rules().length > 0;

    const bad = await rig.sandbox.registry.push('contoso/web:9.0.0', { errorRate: 0.5 });
    const badId = releaseInstanceId('web', bad.digest);
    await until('the bad image to get its canary share', routed);
    await until('traffic to leave the bad image', () => !routed());
    const clearedAt = rig.clock.now();
    const rolledBack = await finished(rig, badId);
    const failed = rolledBack.windows.find((w) => w.verdict === 'fail');
    if (rolledBack.outcome !== 'rolledBack' || !failed)
      throw new Error(`the bad image was not rolled back on a failed window (${rolledBack.outcome ?? '?'})`);
    const afterWindowMs = clearedAt - Date.parse(failed.end);

    const good = await rig.sandbox.registry.push('contoso/web:9.1.0');
    const goodId = releaseInstanceId('web', good.digest);
    await until('the next image to get its canary share', routed);
    const alert = structuredClone(fixture('monitor-alert-metric-static-fired.json')) as {
      data: { essentials: Record<string, unknown> };
    };
    alert.data.essentials.alertTargetIDs = [siteResourceId(rigSite('web'), 'staging')];
    const alertedAt = performance.now();
    const res = await call(rig.url, `/api/hooks/azure-monitor?secret=${rig.alertSecret}`, {
      method: 'POST',
      body: alert,
    });
    if (res.status !== 202) throw new Error(`the alert was answered ${res.status}`);
    await until('traffic to leave the slot after the alert', () => !routed());
    const alertToClearMs = performance.now() - alertedAt;
    await finished(rig, goodId);

    return {
      'release.rollback_after_bad_window_intervals': afterWindowMs / (intervalMinutes * 60_000),
      'release.rollback_after_bad_window_sandbox_ms': afterWindowMs,
      'release.alert_to_no_traffic_real_ms': alertToClearMs,
    };
  } finally {
    await rig.stop();
  }
}
