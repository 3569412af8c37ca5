import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './testHost';

/** A published Azure payload from test/fixtures, parsed. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', name), 'utf8'));
}
