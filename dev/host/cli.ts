import { parseArgs } from 'node:util';
import { ScaledClock } from './clock';
import { LocalHost } from './host';
import { readLocalSettings } from './settings';

/**
 * Runs the local host for one function app until SIGINT or SIGTERM:
 * `node dist/dev/host/cli.js --app <folder> [--port 7071] [--data-dir <folder>] [--settings <local.settings.json>]
 * [--clock secondsPerMinute:start:startReal]` (a scaled clock shared with another process, such as a sandbox).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string', default: process.cwd() },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      settings: { type: 'string' },
      clock: { type: 'string' },
    },
  });
  const host = await LocalHost.start({
    appDir: values.app,
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    ...(values.settings !== undefined ? { settings: readLocalSettings(values.settings) } : {}),
    ...(values.clock !== undefined ? { clock: ScaledClock.parse(values.clock) } : {}),
  });
  process.stdout.write(`Host listening at ${host.url}\n`);
  const shutdown = (): void => {
    void host.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
