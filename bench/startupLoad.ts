import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { EntryLoad } from '../test/support/loadEntry';

const runs = 9;

function loadOnce(entry: string): EntryLoad {
  const out = execFileSync(
    process.execPath,
    [join(__dirname, '..', 'test', 'support', 'loadEntry.js'), entry],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as EntryLoad;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * `startup.module_load_ms`: how long Shepherd's entry module takes to load, as a ratio to a bare
 * `@azure/functions` app registering one HTTP function, each loaded in its own fresh process,
 * alternately, `runs` times; medians of both, and the ratio of the medians.
 * `startup.app_start_ms`: the same with the `appStart` hooks a worker runs before the first function
 * (Shepherd checks its settings there), so the figure shows what the start costs in all.
 */
export function startupLoad(): Promise<Record<string, number>> {
  const shepherdEntry = join(__dirname, '..', 'src', 'index.js');
  const bareEntry = join(__dirname, 'startup', 'bareApp.js');
  const shepherd: EntryLoad[] = [];
  const bare: EntryLoad[] = [];
  for (let i = 0; i < runs; i++) {
    shepherd.push(loadOnce(shepherdEntry));
    bare.push(loadOnce(bareEntry));
  }
  if (shepherd.some((app) => app.functions === 0))
    throw new Error('Shepherd registered no functions; the load measured nothing.');
  const shepherdMs = median(shepherd.map((app) => app.ms));
  const bareMs = median(bare.map((app) => app.ms));
  const shepherdStartMs = median(shepherd.map((app) => app.ms + app.appStartMs));
  const bareStartMs = median(bare.map((app) => app.ms + app.appStartMs));
  return Promise.resolve({
    'startup.shepherd_load_ms': shepherdMs,
    'startup.bare_app_load_ms': bareMs,
    'startup.module_load_ms': shepherdMs / bareMs,
    'startup.shepherd_start_ms': shepherdStartMs,
    'startup.bare_app_start_ms': bareStartMs,
    'startup.app_start_ms': shepherdStartMs / bareStartMs,
  });
}
