import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FunctionsCore } from '../../dev/host/functionsCore';
import type { LocalSettings } from '../../dev/host/settings';

/**
 * Run in a fresh process: loads the app entry module named on the command line as the local host's
 * worker would (its `@azure/functions-core` in place, the sample settings in the environment) and
 * prints how many milliseconds the load took and how many functions it registered.
 */
const repoRoot = join(__dirname, '..', '..', '..');
const settings = JSON.parse(
  readFileSync(join(repoRoot, 'local.settings.sample.json'), 'utf8'),
) as LocalSettings;
Object.assign(process.env, settings.Values);
process.chdir(repoRoot);
const core = new FunctionsCore();
core.install();
const entry = process.argv[2] ?? '';
const started = performance.now();
createRequire(__filename)(entry);
const elapsed = performance.now() - started;
process.stdout.write(JSON.stringify({ ms: elapsed, functions: core.functions.size }));
