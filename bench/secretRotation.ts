import { performance } from 'node:perf_hooks';
import { generateLoad } from '../dev/sandbox/loadGenerator';
import { startShopRotationRig } from '../test/support/shopRotationRig';

/**
 * `npm run bench -- rotation`: rotates the shop's two-role PostgreSQL secret while new users keep
 * coming (50 requests a second), in the sandbox with a real cluster. Prints the requests that did
 * not answer 200 (target 0), how many ran while the rotation did, and how long the consumer took
 * from the new Key Vault version to being proven on it, in the sandbox's (Azure's) seconds, besides
 * the real seconds the whole rotation took here.
 */
export async function secretRotation(): Promise<Record<string, number>> {
  const shop = await startShopRotationRig({ secondsPerMinute: 2 });
  const stop = new AbortController();
  try {
    const load = generateLoad({
      url: `https://${shop.rig.siteNamed('shop').hostName()}/`,
      rate: 50,
      durationMs: 600_000,
      signal: stop.signal,
    });
    const started = performance.now();
    const status = await shop.ended(await shop.askRotation('shop-db'));
    const took = performance.now() - started;
    stop.abort();
    const summary = await load;
    if (status.outcome !== 'rotated' || status.version === undefined || status.verifiedAt === undefined)
      throw new Error(`the rotation did not go through: ${status.outcome ?? ''} ${status.reason ?? ''}`);
    const written = await shop.vault.getSecret('shop-db', { version: status.version });
    const writtenAt = written.properties.createdOn?.getTime() ?? Number.NaN;
    const failed = Object.entries(summary.byStatus)
      .filter(([code]) => code !== '200')
      .reduce((sum, [, count]) => sum + count, 0);
    return {
      'rotation.failed_requests': failed,
      'rotation.requests_during': summary.sent,
      'rotation.consumer_switch_s': (Date.parse(status.verifiedAt) - writtenAt) / 1000,
      'rotation.total_real_s': took / 1000,
    };
  } finally {
    stop.abort();
    await shop.stop();
  }
}
