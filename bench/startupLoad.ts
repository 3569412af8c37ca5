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
 */
export function startupLoad(): Promise<Record<string, number>> {
  const shepherdEntry = join(__dirname, '..', 'src', 'index.js');
  const bareEntry = join(__dirname, 'startup', 'bareApp.js');
  const shepherd: number[] = [];
  const bare: number[] = [];
  let registered = 0;
  for (let i = 0; i < runs; i++) {
    const app = loadOnce(shepherdEntry);
    registered = app.functions;
    shepherd.push(app.ms);
    bare.push(loadOnce(bareEntry).ms);
  }
  if (registered === 0) throw new Error('Shepherd registered no functions; the load measured nothing.');
  const shepherdMs = median(shepherd);
  const bareMs = median(bare);
  return Promise.resolve({
    'startup.shepherd_load_ms': shepherdMs,
    'startup.bare_app_load_ms': bareMs,
    'startup.module_load_ms': shepherdMs / bareMs,
  });
}
