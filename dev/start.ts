import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAzurite } from './azurite';
import { freePort } from './freePort';
import { resumeScaledClock } from './host/clockFile';
import { defaultDataDir, LocalHost } from './host/host';
import { readLocalSettings } from './host/settings';
import { readSandboxConfig, sandboxIdentity } from './sandbox/config';
import { startSandbox } from './sandbox/sandbox';
import type { RunningSandbox } from './sandbox/sandbox';
import { shepherdSettingsFor } from './sandbox/shepherdSettings';

/** The repository root, where package.json and host.json live; this file runs from dist/dev. */
const appDir = join(__dirname, '..', '..');

/**
 * `npm start`: Azurite on its usual ports (so `UseDevelopmentStorage=true` reaches it), the sandbox
 * standing in for Azure, and Shepherd under the local host on port 7071, until Ctrl-C. Settings come
 * from local.settings.json, or from local.settings.sample.json when there is none yet.
 */
async function main(): Promise<void> {
  // Ports may be moved (0 for free ones) so that tests can run this beside another copy.
  const { values: args } = parseArgs({
    options: {
      port: { type: 'string' },
      'storage-port': { type: 'string', default: '10000' },
      'sandbox-port': { type: 'string' },
    },
  });
  const own = join(appDir, 'local.settings.json');
  const settingsFile = existsSync(own) ? own : join(appDir, 'local.settings.sample.json');
  const settings = readLocalSettings(settingsFile);
  const dataDir = defaultDataDir(appDir);
  // The host's port is settled first, so the sandbox's registry webhook can name Shepherd's URL.
  const requestedPort = args.port === undefined ? (settings.Host?.LocalHttpPort ?? 7071) : Number(args.port);
  const port = requestedPort === 0 ? await freePort() : requestedPort;
  const settingValues = {
    ...settings.Values,
    ...(process.env as Record<string, string>),
    SHEPHERD_LOCAL_URL: `http://localhost:${port}`,
  };
  const sandboxConfig = readSandboxConfig(join(appDir, 'dev', 'sandbox.json'), settingValues);
  if (args['sandbox-port'] !== undefined) sandboxConfig.port = Number(args['sandbox-port']);

  const blob = Number(args['storage-port']);
  const ports = blob === 0 ? { blob: 0, queue: 0, table: 0 } : { blob, queue: blob + 1, table: blob + 2 };
  const azurite = await startAzurite({ location: join(appDir, '.local', 'azurite'), ports });
  // UseDevelopmentStorage=true means Azurite's usual ports; anywhere else, say where it is.
  if (blob !== 10000) process.env.AzureWebJobsStorage = azurite.connectionString;
  // Shepherd's state (the audit trail) is kept in Azurite too, unless the settings name a place.
  if (
    blob !== 10000 ||
    (process.env.SHEPHERD_STATE_STORAGE ?? settings.Values.SHEPHERD_STATE_STORAGE) === undefined
  )
    process.env.SHEPHERD_STATE_STORAGE = azurite.connectionString;

  let sandbox: RunningSandbox | undefined;
  let host: LocalHost;
  try {
    // One clock for both, carried on from the last run: a sandbox minute of metrics is a minute of
    // durable timers too, and stored instances never see time run backwards.
    const clock = resumeScaledClock(dataDir, sandboxConfig.secondsPerMinute);
    sandbox = await startSandbox(sandboxConfig, sandboxIdentity(settingValues), clock);
    // The app's Azure SDK clients reach the sandbox, wherever it listens, for tokens and services.
    Object.assign(process.env, shepherdSettingsFor(sandbox.url));
    host = await LocalHost.start({ appDir, settings, clock, dataDir, port });
  } catch (err) {
    await sandbox?.close();
    await azurite.stop();
    throw err;
  }
  const running = sandbox;
  const sites = [...running.appService.sites.values()].map((site) => {
    const slots = [...site.slots.keys()]
      .filter((s) => s !== 'production')
      .map((s) => `${s} https://${site.hostName(s)}`);
    return `  Site:       ${site.definition.name} https://${site.hostName()} (${slots.join(', ')})`;
  });
  process.stdout.write(
    [
      '',
      `Shepherd is running (settings from ${settingsFile}).`,
      `  Functions:  ${host.url}/api/...   health: ${host.url}/api/health`,
      `  Event Grid: ${host.url}/runtime/webhooks/eventgrid?functionName=NAME`,
      `  Storage:    Azurite at ${azurite.blobEndpoint} (audit trail: ${azurite.tableEndpoint})`,
      `  Sandbox:    ${running.url} (ARM, metrics, Key Vault, registry ${sandboxConfig.registry.loginServer}); 1 sandbox minute = ${sandboxConfig.secondsPerMinute} s`,
      ...sites,
      'Try: npm run sandbox -- load contoso-web --rate 20 --seconds 600   and   npm run sandbox -- push contoso/web:2.0.0',
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
      .then(() => running.close())
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
