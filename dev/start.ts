import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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
  // --port and --storage-port (0 for free ports) let tests run this beside another copy.
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'storage-port': { type: 'string', default: '10000' } },
  });
  const own = join(appDir, 'local.settings.json');
  const settingsFile = existsSync(own) ? own : join(appDir, 'local.settings.sample.json');
  const settings = readLocalSettings(settingsFile);

  const blob = Number(values['storage-port']);
  const ports = blob === 0 ? { blob: 0, queue: 0, table: 0 } : { blob, queue: blob + 1, table: blob + 2 };
  const azurite = await startAzurite({ location: join(appDir, '.local', 'azurite'), ports });
  // UseDevelopmentStorage=true means Azurite's usual ports; anywhere else, say where it is.
  if (blob !== 10000) process.env.AzureWebJobsStorage = azurite.connectionString;
  let host: LocalHost;
  try {
    host = await LocalHost.start({
      appDir,
      settings,
      ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    });
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
