import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { httpsGetter } from '../support/https';
import type { HttpsResult } from '../support/https';
import { startPostgres } from '../support/postgres';
import type { RunningPostgres } from '../support/postgres';
import { secretUriReference, startReferenceSandbox } from '../support/referenceSandbox';
import type { ReferenceSandbox } from '../support/referenceSandbox';
import { waitFor } from '../support/testHost';

const role = 'sample_app';

describe('the sample app on a PostgreSQL database named by a Key Vault reference', () => {
  let postgres: RunningPostgres;
  let admin: Client;
  let kv: ReferenceSandbox;
  const http = httpsGetter();
  const password = randomBytes(12).toString('hex');
  const wrongPassword = randomBytes(12).toString('hex');
  const urlWith = (secret: string): string => {
    const server = new URL(postgres.url);
    return `postgres://${role}:${secret}@${server.host}${server.pathname}`;
  };

  before(async () => {
    postgres = await startPostgres();
    admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    kv = await startReferenceSandbox({ siteName: 'contoso-shop' });
  });
  after(async () => {
    http.close();
    await kv.close();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
    await postgres.stop();
  });

  const get = async (path: string, slot?: string): Promise<HttpsResult> =>
    http.get(`https://${await kv.hostOf(slot)}${path}`);
  const sessions = async (): Promise<{ application_name: string }[]> =>
    (
      await admin.query<{ application_name: string }>(
        'SELECT application_name FROM pg_stat_activity WHERE usename = $1',
        [role],
      )
    ).rows;

  it('serves, is healthy and keeps sessions under the URL’s user while the password is right', async () => {
    await kv.secrets.setSecret('shop-database-url', urlWith(password));
    await kv.arm.webApps.updateApplicationSettingsSlot(kv.site.resourceGroup, kv.site.name, 'staging', {
      properties: { DATABASE_URL: secretUriReference('shop-database-url') },
    });
    await kv.holds('staging', 'DATABASE_URL', urlWith(password));

    const health = await waitFor('the staging slot to be healthy', async () => {
      const res = await get('/health', 'staging');
      return res.status === 200 ? res : undefined;
    });
    assert.equal((JSON.parse(health.body) as { database: string }).database, 'reachable');
    const answers = await Promise.all(Array.from({ length: 20 }, () => get('/', 'staging')));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    const seen = await sessions();
    assert.ok(seen.length > 0, 'the app keeps its sessions open');
    assert.ok(seen.every((s) => s.application_name === 'sandbox-staging'));
  });

  it('answers errors and fails its health check once it restarts on a URL with a wrong password', async () => {
    await kv.secrets.setSecret('shop-database-url', urlWith(wrongPassword));
    const refreshed = await kv.armSend(
      'POST',
      `/subscriptions/${kv.site.subscriptionId}/resourceGroups/${kv.site.resourceGroup}/providers/Microsoft.Web/sites/${kv.site.name}/slots/staging/config/configreferences/appsettings/refresh`,
      '2022-03-01',
    );
    assert.equal(refreshed.status, 200);
    await kv.sandboxSite().slot('staging')?.process.settled();
    assert.equal((await get('/', 'staging')).status, 200, 'the running app still holds the right password');

    await kv.arm.webApps.restartSlot(kv.site.resourceGroup, kv.site.name, 'staging');
    await kv.holds('staging', 'DATABASE_URL', urlWith(wrongPassword));
    const failing = await waitFor('the app to answer', async () => {
      const res = await get('/', 'staging');
      return res.status === 503 ? undefined : res;
    });
    assert.equal(failing.status, 500);
    assert.equal((await get('/health', 'staging')).status, 503);
    assert.ok(!failing.body.includes(wrongPassword), 'the answer does not carry the password');
    await waitFor('the old process’s sessions to end', async () =>
      (await sessions()).length === 0 ? true : undefined,
    );
  });

  it('behaves as before without a DATABASE_URL setting', async () => {
    const health = await get('/health');
    assert.equal(health.status, 200);
    assert.equal((JSON.parse(health.body) as { database?: string }).database, undefined);
    assert.equal((await get('/')).status, 200);
  });
});
