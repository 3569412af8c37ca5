import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { stopChild } from '../dev/childProcess';
import { acrPushDelivery } from '../test/support/acrWebhook';
import { rigRegistry, rigTarget, startReleaseRig } from '../test/support/releaseRig';
import { call, startHostProcess } from '../test/support/testHost';

/** An ACR webhook push delivery, as JSON. */
function pushBody(repository: string, tag: string, digest: string): string {
  return JSON.stringify(acrPushDelivery({ repository, tag, digest }, rigRegistry));
}

/**
 * `intake.acr_webhook_rps` and `intake.acr_webhook_p99_ms`: the ACR webhook route on the local host
 * (its own process, as a worker is) under autocannon for ten seconds, half the deliveries repeats of
 * one push to a followed repository and half distinct pushes to repositories no target follows.
 * The repeated push must have started exactly one release, or the figures mean nothing.
 */
export async function acrWebhookIntake(): Promise<Record<string, number>> {
  const rig = await startReleaseRig({
    secondsPerMinute: 60,
    sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
    inProcessHost: false,
    // The one release waits for a person, so it does no work while the load runs.
    targets: [rigTarget('web', { approval: { required: true } })],
  });
  const { child } = await startHostProcess([
    ...['--app', join(__dirname, '..', '..'), '--port', String(rig.port), '--data-dir', rig.dataDir],
    ...['--settings', rig.settingsFile],
  ]);
  try {
    const push = await rig.sandbox.registry.push('contoso/web:2.0.0');
    let n = 0;
    const result = await autocannon({
      url: `${rig.url}/api/hooks/acr`,
      method: 'POST',
      connections: 20,
      duration: 10,
      headers: { 'content-type': 'application/json', 'x-shepherd-webhook-secret': rig.webhookSecret },
      requests: [
        {
          setupRequest: (req) => {
            n++;
            const body =
              n % 2 === 0
                ? pushBody('contoso/web', '2.0.0', push.digest)
                : pushBody(
                    `unfollowed/app-${String(n)}`,
                    '1.0.0',
                    `sha256:${randomBytes(32).toString('hex')}`,
                  );
            return { ...req, body };
          },
        },
      ],
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${String(result.non2xx)} answers were not 2xx and ${String(result.errors)} failed.`);
    const listed = await call(rig.url, '/api/targets/web/releases', { key: rig.functionKey });
    const releases = (listed.body as { releases: { digest?: string; image?: string }[] }).releases;
    const ofPush = releases.filter((r) => JSON.stringify(r).includes(push.digest));
    if (ofPush.length !== 1)
      throw new Error(`The repeated push started ${String(ofPush.length)} releases, not one.`);
    return {
      'intake.acr_webhook_rps': result.requests.average,
      'intake.acr_webhook_p99_ms': result.latency.p99,
    };
  } finally {
    await stopChild(child);
    await rig.stop();
  }
}
