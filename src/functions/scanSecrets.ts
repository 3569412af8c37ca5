import type { TimerHandler } from '@azure/functions';
import * as df from 'durable-functions';
import type { Config } from '../config';
import { secretScanOrchestrator } from '../orchestrations/secretScanModel';
import type { SecretScanInput } from '../orchestrations/secretScanModel';
import { startOnce } from '../startOnce';

export const scanSecretsFunction = 'scanSecrets';
/** Every day at 05:00 (UTC unless `WEBSITE_TIME_ZONE` says otherwise): before people start their day. */
export const scanSecretsSchedule = '0 0 5 * * *';

/**
 * The daily timer: starts the `secretScan` orchestration over every managed secret. Its instance id
 * is named after the occurrence that follows this one, the same for every firing of this one, so an
 * occurrence scans once however often the timer fires for it.
 */
export function scanSecrets(config: Config): TimerHandler {
  return async (timer, context) => {
    if (config.secrets.length === 0) return;
    const occurrence = timer.scheduleStatus.next;
    const instanceId = `scan:${occurrence}`;
    const input: SecretScanInput = { secrets: config.secrets };
    const started = await startOnce(df.getClient(context), secretScanOrchestrator, instanceId, input);
    context.log(`secret scan ${instanceId}: ${started ? 'started' : 'already started'}`);
  };
}
