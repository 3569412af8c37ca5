import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startAzurite } from './azurite';
import { LocalHost } from './host/host';
import { readLocalSettings } from './host/settings';

/** The repository root, where package.json and host.json live; this file runs from dist/dev. */
const appDir = join(__dirname, '..', '..');

/**
 * `npm start`: Azurite on its usual ports (so `UseDevelopmentStorage=true` reaches it) and Shepherd
 * under the local host on port 7071, until Ctrl-C. Settings come from local.settings.json, or from
 * local.settings.sample.json when there is none yet.
 */
async function main(): Promise<void> {
  const own = join(appDir, 'local.settings.json');
  const settingsFile = existsSync(own) ? own : join(appDir, 'local.settings.sample.json');
  const settings = readLocalSettings(settingsFile);

  const azurite = await startAzurite({
    location: join(appDir, '.local', 'azurite'),
    ports: { blob: 10000, queue: 10001, table: 10002 },
  });
  let host: LocalHost;
  try {
    host = await LocalHost.start({ appDir, settings });
  } catch (err) {
    await azurite.stop();
    throw err;
  }
  process.stdout.write(
    [
      '',
      `Shepherd is running (settings from ${settingsFile}).`,
      `  Functions:  ${host.url}/api/...   health: ${host.url}/api/health`,
      `  Event Grid: ${host.url}/runtime/webhooks/eventgrid?functionName=NAME`,
      `  Storage:    Azurite at ${azurite.blobEndpoint}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void host
      .stop()
      .then(() => azurite.stop())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
