import type { TimerHandler } from '@azure/functions';
import * as df from 'durable-functions';
import type { Config } from '../config';
import { secretScanOrchestrator } from '../functionNames';
import type { SecretScanInput } from '../orchestrations/secretScanModel';

/** One scan at a time: host.json's NonRunningStates refuses to start it again while it runs. */
const scanInstanceId = 'secret-scan';

/**
 * The daily timer (also run on demand through the host's admin API): starts the `secretScan`
 * orchestration over every managed secret, unless a scan runs already. Every step of a scan can be
 * repeated (rotations are named after the version they replace, notices are marked on the version
 * they were sent for), so a scan started again later finds nothing left to do twice.
 */
export function scanSecrets(config: Config): TimerHandler {
  return async (_timer, context) => {
    if (config.secrets.length === 0) return;
    const client = df.getClient(context);
    const input: SecretScanInput = { secrets: config.secrets };
    try {
      await client.startNew(secretScanOrchestrator, { instanceId: scanInstanceId, input });
      context.log('secret scan started');
    } catch (err) {
      const status = await client.getStatus(scanInstanceId).catch(() => undefined);
      if (status?.runtimeStatus !== df.OrchestrationRuntimeStatus.Running) throw err;
      context.log('a secret scan runs already');
    }
  };
}
