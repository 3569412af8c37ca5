import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FunctionsCore } from '../../dev/host/functionsCore';
import type { LocalSettings } from '../../dev/host/settings';

/** What loading an app's entry module did: its time, the functions it registered, the packages it loaded. */
export interface EntryLoad {
  ms: number;
  functions: number;
  /** Every npm package in the module cache after the load, by name (`@azure/functions`, `zod`). */
  packages: string[];
}

/** The package a file in `node_modules` belongs to, by its last `node_modules` segment. */
function packageOf(file: string): string | undefined {
  const parts = file.split(/[\\/]node_modules[\\/]/);
  if (parts.length < 2) return undefined;
  const [scope, name] = (parts.at(-1) ?? '').split(/[\\/]/);
  return scope?.startsWith('@') ? `${scope}/${name ?? ''}` : scope;
}

/**
 * Run in a fresh process: loads the app entry module named on the command line as the local host's
 * worker would (its `@azure/functions-core` in place, the sample settings in the environment) and
 * prints an {@link EntryLoad} as JSON.
 */
function loadEntry(entry: string): EntryLoad {
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
  const packages = new Set(Object.keys(load.cache).flatMap((file) => packageOf(file) ?? []));
  return { ms, functions: core.functions.size, packages: [...packages].sort() };
}

process.stdout.write(JSON.stringify(loadEntry(process.argv[2] ?? '')));
