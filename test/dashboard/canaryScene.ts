import { rigRegistry, rigTarget, rigVault, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

/** The values of the scene's Key Vault secrets, which no page may ever show. */
export const secretValues = [`session-${Date.now()}-never-shown`, `partner-${Date.now()}-never-shown`];

/**
 * What the dashboard is shown against: the sandbox and local host with a canary target `web`
 * (approval required, five steps of five sandbox minutes, under steady load) in production, a
 * blue-green target `api` in staging, and two managed secrets, one Shepherd rotates and one it cannot.
 */
export interface CanaryScene {
  rig: ReleaseRig;
  /** The page's URL, with the function key as Azure accepts it in a query. */
  dashboardUrl: string;
  /** A GET of Shepherd's API with the function key; fails unless it answers 200. */
  api<T>(path: string): Promise<T>;
  /** Pushes contoso/web:`tag` and waits until its release awaits approval; returns its id. */
  awaitingApproval(tag: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startCanaryScene(): Promise<CanaryScene> {
  // One sandbox minute is two real seconds: a window is judged every ten seconds or so.
  const rig = await startReleaseRig({
    secondsPerMinute: 2,
    sites: [
      { name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` },
      { name: 'api', image: `${rigRegistry}/contoso/api:1.0.0` },
    ],
    targets: [
      rigTarget('web', {
        canary: { steps: [10, 25, 50, 75, 100], intervalMinutes: 5 },
        // Windows last ten real seconds, so the latency gate is scaled down with them.
        gates: { minRequests: 15, maxAverageResponseMs: 250, metricsSettleSeconds: 30 },
        approval: { required: true, timeoutMinutes: 600 },
        bakeMinutes: 1,
      }),
      rigTarget('api', { environment: 'staging', strategy: 'blueGreen', bakeMinutes: 0 }),
    ],
    secrets: (sandboxUrl) => [
      {
        name: 'session-key',
        kind: 'generated',
        keyVaultSecretUri: `${sandboxUrl}/secrets/session-key`,
        consumers: ['web'],
      },
      {
        name: 'partner-key',
        kind: 'manual',
        keyVaultSecretUri: `${sandboxUrl}/secrets/partner-key`,
        consumers: ['web'],
      },
    ],
  });
  const vault = rigVault(rig);
  const [sessionValue, partnerValue] = secretValues as [string, string];
  // Versions that expire, as Shepherd writes them: the generated one is next rotated in 90 days.
  const expiresOn = new Date(Date.now() + 90 * 86_400_000);
  await vault.setSecret('session-key', sessionValue, { expiresOn });
  await vault.setSecret('partner-key', partnerValue, { expiresOn });
  void rig.loadOn('web', 100);

  async function api<T>(path: string): Promise<T> {
    const res = await call(rig.url, path, { key: rig.functionKey });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
    return res.body as T;
  }
  return {
    rig,
    dashboardUrl: `${rig.url}/api/dashboard?code=${encodeURIComponent(rig.functionKey)}`,
    api,
    async awaitingApproval(tag) {
      const push = await rig.sandbox.registry.push(`contoso/web:${tag}`);
      return waitFor(
        `the release of ${tag} to await approval`,
        async () => {
          const { targets } = await api<{
            targets: { name: string; release: { id: string; phase: string; image: string } | null }[];
          }>('/api/targets');
          const release = targets.find((t) => t.name === 'web')?.release;
          return release?.phase === 'awaitingApproval' && release.image.endsWith(push.digest)
            ? release.id
            : undefined;
        },
        90_000,
      );
    },
    stop: () => rig.stop(),
  };
}
