import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EntryLoad } from '../support/loadEntry';
import { repoRoot } from '../support/testHost';

/** The packages `src/azure/sdk.ts` loads on first use, and MSAL, which `@azure/identity` brings. */
const loadedOnFirstUse = [
  '@azure/arm-appservice',
  '@azure/arm-resources',
  '@azure/container-registry',
  '@azure/core-rest-pipeline',
  '@azure/data-tables',
  '@azure/identity',
  '@azure/keyvault-secrets',
  '@azure/monitor-query-metrics',
  '@azure/msal-node',
  '@azure/storage-blob',
  'pg',
];

describe('Shepherd’s start-up', () => {
  it('registers every function without loading an Azure SDK or the PostgreSQL client', () => {
    // A fresh process, as the Functions host starts one, with the sample settings.
    const out = execFileSync(
      process.execPath,
      [join(repoRoot, 'dist', 'test', 'support', 'loadEntry.js'), join(repoRoot, 'dist', 'src', 'index.js')],
      { encoding: 'utf8' },
    );
    const load = JSON.parse(out) as EntryLoad;
    assert.ok(load.functions > 50, `${load.functions} functions registered`);
    // The registration itself needs these, so the list shows what the load reached.
    assert.ok(load.packages.includes('durable-functions'), load.packages.join(', '));
    assert.ok(load.packages.includes('zod'), load.packages.join(', '));
    assert.deepEqual(
      loadedOnFirstUse.filter((name) => load.packages.includes(name)),
      [],
    );
  });
});
