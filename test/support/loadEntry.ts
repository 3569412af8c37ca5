import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FunctionsCore } from '../../dev/host/functionsCore';
import type { LocalSettings } from '../../dev/host/settings';

/** What loading an app's entry module did: its time, the functions it registered, the packages it loaded. */
export interface EntryLoad {
  ms: number;
  /** The time the app's `appStart` hooks took after the load, as a worker runs them before any function. */
  appStartMs: number;
  functions: number;
  /** Every npm package in the module cache after the load (before the hooks), by name (`@azure/functions`, `zod`). */
  packages: string[];
  /** The packages in the module cache after the `appStart` hooks too. */
  packagesAfterStart: string[];
}

/** The package a file in `node_modules` belongs to, by its last `node_modules` segment. */
function packageOf(file: string): string | undefined {
  const parts = file.split(/[\\/]node_modules[\\/]/);
  if (parts.length < 2) return undefined;
  const [scope, name] = (parts.at(-1) ?? '').split(/[\\/]/);
  return scope?.startsWith('@') ? `${scope}/${name ?? ''}` : scope;
}

function packagesIn(cache: NodeJS.Dict<NodeJS.Module>): string[] {
  return [...new Set(Object.keys(cache).flatMap((file) => packageOf(file) ?? []))].sort();
}

/**
 * Run in a fresh process: loads the app entry module named on the command line as the local host's
 * worker would (its `@azure/functions-core` in place, the sample settings in the environment), runs
 * its `appStart` hooks, and prints an {@link EntryLoad} as JSON.
 */
async function loadEntry(entry: string): Promise<EntryLoad> {
  const repoRoot = join(__dirname, '..', '..', '..');
  const settings = JSON.parse(
    readFileSync(join(repoRoot, 'local.settings.sample.json'), 'utf8'),
  ) as LocalSettings;
  Object.assign(process.env, settings.Values);
  process.chdir(repoRoot);
  const core = new FunctionsCore();
  core.install();
  const load = createRequire(__filename);
  const started = performance.now();
  load(entry);
  const ms = performance.now() - started;
  const packages = packagesIn(load.cache);
  const starting = performance.now();
  for (const hook of core.hooksFor('appStart'))
    await hook({ hookData: {}, appHookData: core.appHookData, functionAppDirectory: repoRoot });
  const appStartMs = performance.now() - starting;
  return {
    ms,
    appStartMs,
    functions: core.functions.size,
    packages,
    packagesAfterStart: packagesIn(load.cache),
  };
}

void loadEntry(process.argv[2] ?? '').then((load) => process.stdout.write(JSON.stringify(load)));
