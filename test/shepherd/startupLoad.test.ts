import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
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

const loadEntryArgs = [
  join(repoRoot, 'dist', 'test', 'support', 'loadEntry.js'),
  join(repoRoot, 'dist', 'src', 'index.js'),
];

describe('Shepherd’s start-up', () => {
  it('registers every function loading none of their code, then checks the settings before any runs', () => {
    // A fresh process, as the Functions host starts one, with the sample settings.
    const load = JSON.parse(execFileSync(process.execPath, loadEntryArgs, { encoding: 'utf8' })) as EntryLoad;
    assert.ok(load.functions > 50, `${load.functions} functions registered`);
    // The entry needs @azure/functions alone: not durable-functions, zod or an SDK.
    assert.deepEqual(
      load.packages.filter((name) => !name.startsWith('@azure/functions') && name !== 'cookie'),
      [],
    );
    // The app's start reads the settings with their schema, and still loads no SDK.
    assert.ok(load.packagesAfterStart.includes('zod'), load.packagesAfterStart.join(', '));
    assert.deepEqual(
      loadedOnFirstUse.filter((name) => load.packagesAfterStart.includes(name)),
      [],
    );
  });

  it('fails the app’s start on an invalid setting, naming it, after registering without reading it', () => {
    const run = spawnSync(process.execPath, loadEntryArgs, {
      encoding: 'utf8',
      // Not in the sample settings, so the load keeps it; the timer's schedule comes from it.
      env: { ...process.env, SHEPHERD_DRIFT_SCHEDULE: 'every hour' },
    });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /SHEPHERD_DRIFT_SCHEDULE: expected six NCRONTAB fields/);
  });
});
