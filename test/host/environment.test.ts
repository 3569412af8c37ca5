import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestHost, testSettings } from '../support/testHost';

describe('the local host’s settings in the environment', () => {
  it('are there while the host runs and gone once it stops, so the next host or child process gets its own', async () => {
    const names = Object.keys(testSettings.Values);
    assert.deepEqual(
      names.filter((name) => process.env[name] !== undefined),
      [],
      'none set before',
    );
    const host = await startTestHost();
    try {
      assert.equal(process.env.TEST_TASK_HUB, testSettings.Values.TEST_TASK_HUB);
      assert.match(process.env.WEBSITE_HOSTNAME ?? '', /^localhost:\d+$/);
    } finally {
      await host.stop();
    }
    assert.deepEqual(
      [...names, 'WEBSITE_HOSTNAME', 'AzureWebJobsScriptRoot'].filter(
        (name) => process.env[name] !== undefined,
      ),
      [],
    );
  });
});
