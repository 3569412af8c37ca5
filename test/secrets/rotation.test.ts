import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { setLogSink } from '../../dev/host/log';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import type { RotationInput, RotationStatus } from '../../src/orchestrations/rotationModel';
import type { ReleaseRig } from '../support/releaseRig';
import { startShopRotationRig } from '../support/shopRotationRig';
import type { ShopRotationRig } from '../support/shopRotationRig';
import { call, waitFor } from '../support/testHost';

describe('secret rotation end to end', () => {
  let shop: ShopRotationRig;
  let rig: ReleaseRig;
  let blue: string;
  let green: string;
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
    shop = await startShopRotationRig({
      secondsPerMinute: 2,
      noticeUrl: `http://127.0.0.1:${(noticeServer.address() as AddressInfo).port}/hooks`,
      moreSecrets: (sandboxUrl: string) => [
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
      // Not written yet: the daily scan finds it due and writes its first version.
      moreSettings: (sandboxUrl: string) => ({
        SIGNING_KEY: `@Microsoft.KeyVault(SecretUri=${sandboxUrl}/secrets/shop-signing/)`,
      }),
    });
    ({ rig } = shop);
    ({ blue, green } = shop.roles);
  });

  after(async () => {
    noticeServer.close();
    await shop.stop();
  });

  /** Asks for a rotation of `name` and waits for it to end; returns its output. */
  async function rotate(name: string): Promise<RotationStatus> {
    return shop.ended(await shop.askRotation(name));
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
    await shop.onlySessionsOn(green);
    assert.ok(await shop.logsIn(blue, shop.passwords.blue), 'the role in use before keeps its password');
    assert.equal(await shop.logsIn(green, shop.passwords.green), false, 'the new role has a new password');
    stop.abort();
    const summary = await load;
    assert.deepEqual(Object.keys(summary.byStatus), ['200'], JSON.stringify(summary));
    assert.ok(summary.sent >= 20, `${summary.sent} requests ran during the rotation`);
  });

  it('switches back to the first role on the next rotation', async () => {
    const status = await rotate('shop-db');
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.equal(status.role, blue);
    await shop.onlySessionsOn(blue);
    assert.equal(await shop.logsIn(blue, shop.passwords.blue), false);
  });

  it('never changes the password of a role something still uses: it waits, then stops with nothing changed', async () => {
    // After two rotations the app is on the first role; something left on the second one still uses it.
    const leftover = new Client({
      connectionString: shop.connection(green, await shop.passwordOf(green)),
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

  /** The role the next test takes a grant from, and the one after gives it back to. */
  let withoutGrant: string | undefined;

  it('puts the previous value back, app healthy, and tells people when the app cannot use the new one', async () => {
    // The rotation moves the app to the role not in use, whichever the earlier tests left in use.
    const inUse = (await shop.vault.getSecret('shop-db')).properties.tags?.ShepherdRole;
    assert.ok(inUse === blue || inUse === green, `the secret names its role: ${String(inUse)}`);
    withoutGrant = inUse === blue ? green : blue;
    await shop.onShopDatabase(`REVOKE SELECT ON items FROM ${withoutGrant}`);
    const told = notices.length;
    const status = await rotate('shop-db');
    assert.equal(status.outcome, 'restored', status.reason);
    await shop.onlySessionsOn(inUse);
    const health = await call(`https://${rig.siteNamed('shop').hostName()}`, '/health');
    assert.equal(health.status, 200);
    assert.ok(notices.length > told, 'people were told');
    assert.match(notices.at(-1)?.text ?? '', /secret shop-db was not rotated: its previous value is back/);
  });

  it('rotates when Key Vault says the current version expires within 30 days, once however often it is told', async () => {
    await shop.onShopDatabase(`GRANT SELECT ON items TO ${withoutGrant ?? green}`);
    const current = await shop.vault.getSecret('shop-db');
    const role = current.properties.tags?.ShepherdRole ?? blue;
    // A version written a rotation period ago: it expires 30 days and half a minute from now.
    const written = await shop.vault.setSecret('shop-db', current.value ?? '', {
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
    const status = await shop.ended(`/api/rotations/${encodeURIComponent(`rotation:shop-db:${version}`)}`);
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
    await shop.vault.setSecret('maps-key', `maps-${randomBytes(12).toString('hex')}`, {
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
      if (first !== undefined) await shop.ended(`/api/rotations/${encodeURIComponent(first.rotationId)}`);
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

  it('rotates once when two rotations of a secret start at the same moment: the later one leaves it to the earlier', async () => {
    const engine = rig.host?.engine;
    assert.ok(engine);
    // Past the HTTP route's check for a running rotation, as two callers at the same instant would be.
    const earlier = engine
      .list()
      .find((s) => s.name === 'rotation' && (s.input as RotationInput).secret.name === 'shop-db');
    assert.ok(earlier);
    const versionsOf = async (): Promise<number> => {
      const versions = [];
      for await (const version of shop.vault.listPropertiesOfSecretVersions('shop-db'))
        versions.push(version);
      return versions.length;
    };
    const versions = await versionsOf();
    const ids = ['rotation:shop-db:together-a', 'rotation:shop-db:together-b'];
    for (const id of ids)
      assert.ok(
        'started' in
          engine.startNew('rotation', {
            instanceId: id,
            input: { ...(earlier.input as RotationInput), rotationId: id },
          }),
      );
    const ended = await Promise.all(ids.map((id) => shop.ended(`/api/rotations/${encodeURIComponent(id)}`)));
    const rotated = ended.filter((s) => s.outcome === 'rotated');
    const left = ended.filter((s) => s.outcome === 'refused');
    assert.equal(rotated.length, 1, JSON.stringify(ended.map((s) => [s.outcome, s.reason])));
    assert.equal(left.length, 1);
    assert.equal(left[0]?.deferredTo, rotated[0]?.rotationId);
    assert.equal(await versionsOf(), versions + 1, 'one new version');
    const health = await call(`https://${rig.siteNamed('shop').hostName()}`, '/health');
    assert.equal(health.status, 200);
  });

  it('never writes a password in a log line or in durable history', async () => {
    const passwords = [shop.passwords.admin, shop.passwords.blue, shop.passwords.green];
    for (const name of ['shop-db', 'shop-signing', 'maps-key'])
      for await (const properties of shop.vault.listPropertiesOfSecretVersions(name)) {
        const value = (await shop.vault.getSecret(name, { version: properties.version })).value ?? '';
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
