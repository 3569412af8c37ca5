import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { SecretClient } from '@azure/keyvault-secrets';
import { Client } from 'pg';
import { setLogSink } from '../../dev/host/log';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import { toPostgresUrl } from '../../src/domain/postgresUrl';
import type { RotationStatus } from '../../src/orchestrations/rotationModel';
import { startPostgres } from '../support/postgres';
import type { RunningPostgres } from '../support/postgres';
import { rigRegistry, rigSite, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { sandboxCredential } from '../support/sandbox';
import { call, waitFor } from '../support/testHost';

/** Run-unique names, so a shared server (`DATABASE_URL`) never mixes two runs. */
const run = randomBytes(3).toString('hex');
const blue = `app_blue_${run}`;
const green = `app_green_${run}`;
const admin = `shepherd_admin_${run}`;
const database = `shop_${run}`;
const initial = {
  blue: `blue-${randomBytes(12).toString('hex')}`,
  green: `green-${randomBytes(12).toString('hex')}`,
};
const adminPassword = `admin-${randomBytes(12).toString('hex')}`;
const site = rigSite('shop');

describe('secret rotation end to end', () => {
  let pg: RunningPostgres;
  let su: Client;
  let rig: ReleaseRig;
  let vault: SecretClient;
  let arm: WebSiteManagementClient;
  let port: number;
  /** Every line the host logged: no password may be in one. */
  const logged: string[] = [];
  const notices: { text: string; urgent: boolean }[] = [];
  const noticeServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      notices.push(JSON.parse(body) as { text: string; urgent: boolean });
      res.writeHead(200).end();
    });
  });

  before(async () => {
    await new Promise<void>((resolve) => noticeServer.listen(0, '127.0.0.1', resolve));
    setLogSink((entry) => logged.push(JSON.stringify(entry)));
    pg = await startPostgres();
    su = new Client({ connectionString: pg.url });
    await su.connect();
    port = Number(new URL(pg.url).port || 5432);
    await su.query(`CREATE ROLE ${admin} LOGIN CREATEROLE PASSWORD '${adminPassword}'`);
    await su.query(`CREATE ROLE ${blue} LOGIN PASSWORD '${initial.blue}'`);
    await su.query(`CREATE ROLE ${green} LOGIN PASSWORD '${initial.green}'`);
    await su.query(`CREATE DATABASE ${database}`);
    const db = new Client({ connectionString: urlOf(pg.url, database) });
    await db.connect();
    await db.query('CREATE TABLE items (id int)');
    await db.query(`GRANT SELECT ON items TO ${blue}, ${green}`);
    await db.end();

    const noticePort = (noticeServer.address() as AddressInfo).port;
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [{ name: 'shop', image: `${rigRegistry}/contoso/shop:1.0.0` }],
      targets: [rigTarget('shop', { notifications: { webhookUrl: `http://127.0.0.1:${noticePort}/hooks` } })],
      secrets: (sandboxUrl) => [
        {
          name: 'shop-db',
          kind: 'postgresRole',
          keyVaultSecretUri: `${sandboxUrl}/secrets/shop-db`,
          consumers: ['shop'],
          postgres: {
            host: '127.0.0.1',
            port,
            database,
            sslMode: 'disable',
            roles: [blue, green],
            admin: {
              user: admin,
              credential: { keyVaultSecretUri: `${sandboxUrl}/secrets/shepherd-admin`, holds: 'password' },
            },
          },
        },
        {
          name: 'shop-signing',
          kind: 'generated',
          keyVaultSecretUri: `${sandboxUrl}/secrets/shop-signing`,
          consumers: ['shop'],
        },
        {
          name: 'maps-key',
          kind: 'manual',
          keyVaultSecretUri: `${sandboxUrl}/secrets/maps-key`,
          consumers: ['shop'],
        },
      ],
      keyVaultEvents: true,
    });
    const credential = sandboxCredential(rig.sandbox.url, rig.identity);
    vault = new SecretClient(rig.sandbox.url, credential, { disableChallengeResourceVerification: true });
    arm = new WebSiteManagementClient(credential, site.subscriptionId, { endpoint: rig.sandbox.url });
    await vault.setSecret('shepherd-admin', adminPassword);
    await vault.setSecret('shop-db', connection(blue, initial.blue));
    // The app reads its database through a Key Vault reference, on production and the staging slot.
    const settings = {
      DATABASE_URL: `@Microsoft.KeyVault(SecretUri=${rig.sandbox.url}/secrets/shop-db/)`,
      DATABASE_QUERY: 'SELECT count(*) FROM items',
      // Not written yet: the daily scan finds it due and writes its first version.
      SIGNING_KEY: `@Microsoft.KeyVault(SecretUri=${rig.sandbox.url}/secrets/shop-signing/)`,
    };
    await arm.webApps.updateApplicationSettings(site.resourceGroup, site.name, { properties: settings });
    await arm.webApps.updateApplicationSettingsSlot(site.resourceGroup, site.name, 'staging', {
      properties: settings,
    });
    await waitFor('the app on its database as the first role', async () =>
      (await appSessions()).includes(blue) ? true : undefined,
    );
  });

  after(async () => {
    noticeServer.close();
    await rig.stop();
    await su.end();
    await pg.stop();
  });

  function urlOf(serverUrl: string, db: string): string {
    const url = new URL(serverUrl);
    url.pathname = `/${db}`;
    return url.toString();
  }

  /** Runs `sql` as the superuser on the shop's database. */
  async function onShopDatabase(sql: string): Promise<void> {
    const db = new Client({ connectionString: urlOf(pg.url, database) });
    await db.connect();
    await db.query(sql);
    await db.end();
  }

  function connection(role: string, password: string): string {
    return toPostgresUrl({
      user: role,
      password,
      host: '127.0.0.1',
      port,
      database,
      params: { sslmode: 'disable' },
    });
  }

  /** The roles the sample app's sessions (production's and the slot's) use now. */
  async function appSessions(): Promise<string[]> {
    const { rows } = await su.query<{ usename: string }>(
      "SELECT usename FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'sandbox-%'",
      [database],
    );
    return rows.map((r) => r.usename);
  }

  /** The password `role` has now: the one in the newest version of shop-db that names it. */
  async function passwordOf(role: string): Promise<string> {
    const versions = [];
    for await (const properties of vault.listPropertiesOfSecretVersions('shop-db')) versions.push(properties);
    versions.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
    for (const properties of versions) {
      const url = new URL((await vault.getSecret('shop-db', { version: properties.version })).value ?? '');
      if (decodeURIComponent(url.username) === role) return decodeURIComponent(url.password);
    }
    throw new Error(`no version of shop-db names ${role}`);
  }

  /** Waits until every session of the app is on `role`: the process the app left closes its own. */
  async function onlySessionsOn(role: string): Promise<void> {
    await waitFor(`every app session on ${role}`, async () => {
      const roles = new Set(await appSessions());
      return roles.size === 1 && roles.has(role) ? true : undefined;
    });
  }

  async function logsIn(role: string, password: string): Promise<boolean> {
    const client = new Client({ connectionString: connection(role, password) });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Asks for a rotation of `name` and waits for it to end; returns its output. */
  async function rotate(name: string): Promise<RotationStatus> {
    const asked = await call(rig.url, `/api/secrets/${name}/rotate`, {
      method: 'POST',
      key: rig.functionKey,
      body: { reason: 'quarterly rotation' },
    });
    assert.equal(asked.status, 202, asked.text);
    return ended(String(asked.headers.get('location')));
  }

  function ended(location: string): Promise<RotationStatus> {
    return waitFor(
      `${location} to end`,
      async () => {
        const res = await call(rig.url, location, { key: rig.functionKey });
        const status = res.body as RotationStatus & { runtimeStatus: string };
        return status.runtimeStatus === 'Completed' ? status : undefined;
      },
      120_000,
    );
  }

  it('switches the app to the role not in use with zero failed requests, and the old role still logs in', async () => {
    const stop = new AbortController();
    const load = generateLoad({
      url: `https://${rig.siteNamed('shop').hostName()}/`,
      rate: 50,
      durationMs: 300_000,
      signal: stop.signal,
    });
    const status = await rotate('shop-db');
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.equal(status.role, green);
    await onlySessionsOn(green);
    assert.ok(await logsIn(blue, initial.blue), 'the role in use before keeps its password');
    assert.equal(await logsIn(green, initial.green), false, 'the new role has a new password');
    stop.abort();
    const summary = await load;
    assert.deepEqual(Object.keys(summary.byStatus), ['200'], JSON.stringify(summary));
    assert.ok(summary.sent >= 20, `${summary.sent} requests ran during the rotation`);
  });

  it('switches back to the first role on the next rotation', async () => {
    const status = await rotate('shop-db');
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.equal(status.role, blue);
    await onlySessionsOn(blue);
    assert.equal(await logsIn(blue, initial.blue), false);
  });

  it('never changes the password of a role something still uses: it waits, then stops with nothing changed', async () => {
    // After two rotations the app is on the first role; something left on the second one still uses it.
    const leftover = new Client({
      connectionString: connection(green, await passwordOf(green)),
      application_name: 'legacy-job',
    });
    await leftover.connect();
    try {
      const told = notices.length;
      const status = await rotate('shop-db');
      assert.equal(status.outcome, 'refused', status.reason);
      assert.match(status.reason ?? '', new RegExp(`1 session\\(s\\) still use role ${green}`));
      await leftover.query('SELECT 1');
      assert.ok(notices.length > told, 'people were told');
      const health = await call(`https://${rig.siteNamed('shop').hostName()}`, '/health');
      assert.equal(health.status, 200, 'the app was never touched');
    } finally {
      await leftover.end();
    }
  });

  it('puts the previous value back, app healthy, and tells people when the app cannot use the new one', async () => {
    await onShopDatabase(`REVOKE SELECT ON items FROM ${green}`);
    const told = notices.length;
    const status = await rotate('shop-db');
    assert.equal(status.outcome, 'restored', status.reason);
    await onlySessionsOn(blue);
    const health = await call(`https://${rig.siteNamed('shop').hostName()}`, '/health');
    assert.equal(health.status, 200);
    assert.ok(notices.length > told, 'people were told');
    assert.match(notices.at(-1)?.text ?? '', /secret shop-db was not rotated: its previous value is back/);
  });

  it('rotates when Key Vault says the current version expires within 30 days, once however often it is told', async () => {
    await onShopDatabase(`GRANT SELECT ON items TO ${green}`);
    const current = await vault.getSecret('shop-db');
    const role = current.properties.tags?.ShepherdRole ?? blue;
    // A version written a rotation period ago: it expires 30 days and half a minute from now.
    const written = await vault.setSecret('shop-db', current.value ?? '', {
      expiresOn: new Date(rig.clock.now() + 30 * 24 * 3_600_000 + 30_000),
      tags: { ShepherdRole: role },
    });
    const version = written.properties.version ?? '';
    const event = {
      id: randomBytes(8).toString('hex'),
      topic: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/rig-vault',
      subject: 'shop-db',
      eventType: 'Microsoft.KeyVault.SecretNearExpiry',
      eventTime: new Date().toISOString(),
      data: {
        Id: `${rig.sandbox.url}/secrets/shop-db/${version}`,
        VaultName: 'rig-vault',
        ObjectType: 'Secret',
        ObjectName: 'shop-db',
        Version: version,
      },
      dataVersion: '1',
      metadataVersion: '1',
    };
    // The vault itself tells Shepherd within a (scaled) half minute; the same event arrives twice more.
    const status = await ended(`/api/rotations/${encodeURIComponent(`rotation:shop-db:${version}`)}`);
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.equal(status.requestedBy.via, 'event');
    for (let i = 0; i < 2; i++) {
      const delivered = await call(rig.url, '/runtime/webhooks/eventgrid?functionName=onSecretExpiry', {
        method: 'POST',
        key: eventGridKeyOf(rig),
        headers: { 'aeg-event-type': 'Notification' },
        body: [event],
      });
      assert.ok(delivered.status < 300, delivered.text);
    }
    const secret = await call(rig.url, '/api/secrets/shop-db', { key: rig.functionKey });
    const rotations = (secret.body as { rotations: { rotationId: string }[] }).rotations;
    assert.equal(rotations.filter((r) => r.rotationId.startsWith(`rotation:shop-db:${version}`)).length, 1);
  });

  it('scans daily: rotates a due secret, and tells people once that a manual one nears its expiry', async () => {
    await vault.setSecret('maps-key', `maps-${randomBytes(12).toString('hex')}`, {
      expiresOn: new Date(rig.clock.now() + 10 * 24 * 3_600_000),
    });
    const aboutMaps = (): { text: string }[] => notices.filter((n) => n.text.includes('maps-key'));
    for (let i = 0; i < 2; i++) {
      const asked = rig.clock.now();
      const scan = await call(rig.url, '/admin/functions/scanSecrets', {
        method: 'POST',
        key: `master-${rig.functionKey}`,
        body: {},
      });
      assert.equal(scan.status, 202, scan.text);
      await waitFor('the scan to end', () => {
        const state = rig.host?.engine.get('secret-scan');
        const done = state?.runtimeStatus === 'Completed' && Date.parse(state.createdTime) >= asked;
        return Promise.resolve(done ? true : undefined);
      });
      const signing = await call(rig.url, '/api/secrets/shop-signing', { key: rig.functionKey });
      const [first] = (signing.body as { rotations: { rotationId: string }[] }).rotations;
      if (first !== undefined) await ended(`/api/rotations/${encodeURIComponent(first.rotationId)}`);
    }
    const signing = await call(rig.url, '/api/secrets/shop-signing', { key: rig.functionKey });
    const rotations = (signing.body as { rotations: { outcome?: string; requestedBy?: { via: string } }[] })
      .rotations;
    assert.deepEqual(
      rotations.map((r) => [r.outcome, r.requestedBy?.via]),
      [['rotated', 'schedule']],
      'the scan rotated the secret it found due, once',
    );
    assert.equal(
      aboutMaps().length,
      1,
      aboutMaps()
        .map((n) => n.text)
        .join('\n'),
    );
    assert.match(aboutMaps()[0]?.text ?? '', /secret maps-key expires in 10 days/);
  });

  it('refuses what it cannot act on with a clear 4xx', async () => {
    const unknown = await call(rig.url, '/api/secrets/nope/rotate', {
      method: 'POST',
      key: rig.functionKey,
      body: { reason: 'x' },
    });
    assert.equal(unknown.status, 404);
    const noReason = await call(rig.url, '/api/secrets/shop-db/rotate', {
      method: 'POST',
      key: rig.functionKey,
      body: {},
    });
    assert.equal(noReason.status, 400);
    const manual = await call(rig.url, '/api/secrets/maps-key/rotate', {
      method: 'POST',
      key: rig.functionKey,
      body: { reason: 'x' },
    });
    assert.equal(manual.status, 409);
    for (const res of [unknown, noReason, manual])
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });

  it('never writes a password in a log line or in durable history', async () => {
    const passwords = [adminPassword, initial.blue, initial.green];
    for (const name of ['shop-db', 'shop-signing', 'maps-key'])
      for await (const properties of vault.listPropertiesOfSecretVersions(name)) {
        const value = (await vault.getSecret(name, { version: properties.version })).value ?? '';
        passwords.push(name === 'shop-db' ? decodeURIComponent(new URL(value).password) : value);
      }
    const history = join(rig.dataDir, 'ShepherdRig', 'instances');
    const stored = readdirSync(history).map((file) => readFileSync(join(history, file), 'utf8'));
    assert.ok(stored.length >= 5, `${stored.length} instances in durable history`);
    assert.ok(logged.length >= 20, `${logged.length} log lines`);
    for (const password of passwords) {
      assert.ok(password.length >= 16);
      assert.equal(logged.filter((line) => line.includes(password)).length, 0, 'a log line holds a password');
      assert.equal(
        stored.filter((text) => text.includes(password)).length,
        0,
        'durable history holds a password',
      );
    }
  });
});

/** The host's Event Grid system key, which Event Grid's deliveries carry. */
function eventGridKeyOf(rig: ReleaseRig): string {
  return rig.host?.keys.system.eventgrid_extension ?? '';
}
