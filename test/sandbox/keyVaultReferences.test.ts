import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiKVReference } from '@azure/arm-appservice';
import { VirtualClock } from '../../dev/host/clock';
import { referenceCacheMs } from '../../dev/sandbox/appService/referenceCache';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import { fixture } from '../support/fixtures';
import { httpsGetter } from '../support/https';
import { secretUriReference, sha256, startReferenceSandbox, vaultName } from '../support/referenceSandbox';
import type { ReferenceSandbox } from '../support/referenceSandbox';
import { shapeDifferences } from '../support/shape';

describe('Key Vault references in the sandbox’s App Service, with the real SDK clients', () => {
  let kv: ReferenceSandbox;
  const http = httpsGetter();
  before(async () => {
    kv = await startReferenceSandbox();
  });
  after(async () => {
    http.close();
    await kv.close();
  });

  const rg = (): string => kv.site.resourceGroup;
  const siteName = (): string => kv.site.name;
  const siteId = (): string =>
    `/subscriptions/${kv.site.subscriptionId}/resourceGroups/${rg()}/providers/Microsoft.Web/sites/${siteName()}`;
  const setSettings = (slot: string, properties: Record<string, string>): Promise<unknown> =>
    kv.arm.webApps.updateApplicationSettingsSlot(rg(), siteName(), slot, { properties });
  const referencesOf = async (slot: string): Promise<Map<string, ApiKVReference>> => {
    const found = new Map<string, ApiKVReference>();
    for await (const ref of kv.arm.webApps.listAppSettingsKeyVaultReferencesSlot(rg(), siteName(), slot))
      found.set(ref.name ?? '', ref);
    return found;
  };
  const refresh = (slot: string): Promise<{ status: number; body: unknown }> =>
    kv.armSend('POST', `${siteId()}/slots/${slot}/config/configreferences/appsettings/refresh`, '2022-03-01');

  it('gives a starting slot the secrets its versionless, versioned and VaultName references name', async () => {
    const first = await kv.secrets.setSecret('api-key', 'first value');
    const second = await kv.secrets.setSecret('api-key', 'second value');
    await setSettings('staging', {
      LATEST: secretUriReference('api-key'),
      LATEST_AT_SANDBOX_HOST: `@Microsoft.KeyVault(SecretUri=${kv.url}/secrets/api-key)`,
      PINNED: secretUriReference('api-key', first.properties.version),
      BY_NAME: `@Microsoft.KeyVault(VaultName=${vaultName};SecretName=api-key)`,
      PLAIN: 'not a reference',
    });

    await kv.holds('staging', 'LATEST', 'second value');
    await kv.holds('staging', 'LATEST_AT_SANDBOX_HOST', 'second value');
    await kv.holds('staging', 'PINNED', 'first value');
    await kv.holds('staging', 'BY_NAME', 'second value');
    await kv.holds('staging', 'PLAIN', 'not a reference');

    const refs = await referencesOf('staging');
    assert.deepEqual([...refs.keys()].sort(), ['BY_NAME', 'LATEST', 'LATEST_AT_SANDBOX_HOST', 'PINNED']);
    const latest = refs.get('LATEST');
    assert.equal(latest?.status, 'Resolved');
    assert.equal(latest.vaultName, vaultName);
    assert.equal(latest.secretName, 'api-key');
    assert.equal(latest.secretVersion, null);
    assert.equal(latest.activeVersion, second.properties.version);
    assert.equal(latest.reference, secretUriReference('api-key'));
    assert.equal(latest.source, 'KeyVault');
    assert.equal(refs.get('LATEST_AT_SANDBOX_HOST')?.vaultName, vaultName);
    const pinned = await kv.arm.webApps.getAppSettingKeyVaultReferenceSlot(
      rg(),
      siteName(),
      'PINNED',
      'staging',
    );
    assert.equal(pinned.status, 'Resolved');
    assert.equal(pinned.secretVersion, first.properties.version);
    assert.equal(pinned.activeVersion, first.properties.version);
    assert.equal(pinned.id, `${siteId()}/slots/staging/config/configreferences/appsettings/PINNED`);
  });

  it('leaves a reference it cannot resolve as written in the environment, and says why', async () => {
    await kv.secrets.setSecret('known', 'known value');
    const settings = {
      NO_SECRET: secretUriReference('no-such-secret'),
      NO_VERSION: secretUriReference('known', '0123456789abcdef0123456789abcdef'),
      NO_VAULT: '@Microsoft.KeyVault(VaultName=another-vault;SecretName=known)',
      BAD_SYNTAX: `@Microsoft.KeyVault(VaultName=${vaultName})`,
    };
    await setSettings('qa', settings);
    for (const [name, text] of Object.entries(settings)) await kv.holds('qa', name, text);
    const refs = await referencesOf('qa');
    assert.deepEqual(
      Object.keys(settings).map((name) => [name, refs.get(name)?.status]),
      [
        ['NO_SECRET', 'SecretNotFound'],
        ['NO_VERSION', 'SecretVersionNotFound'],
        ['NO_VAULT', 'VaultNotFound'],
        ['BAD_SYNTAX', 'InvalidSyntax'],
      ],
    );
    await assert.rejects(
      kv.arm.webApps.getAppSettingKeyVaultReferenceSlot(rg(), siteName(), 'NOT_THERE', 'qa'),
      (err: { statusCode?: number }) => err.statusCode === 404,
    );
  });

  it('keeps a cached value through a restart; a refresh fetches the new version without restarting; the next restart runs on it', async () => {
    const old = await kv.secrets.setSecret('rotating', 'old value');
    await setSettings('staging', { TOKEN: secretUriReference('rotating') });
    await kv.holds('staging', 'TOKEN', 'old value');
    const renewed = await kv.secrets.setSecret('rotating', 'new value');

    await kv.arm.webApps.restartSlot(rg(), siteName(), 'staging');
    assert.equal(
      (await kv.held('staging', 'TOKEN')).sha256,
      sha256('old value'),
      'a restart reads the cache',
    );
    assert.equal((await referencesOf('staging')).get('TOKEN')?.activeVersion, old.properties.version);

    const before = await kv.held('staging', 'TOKEN');
    const refreshed = await refresh('staging');
    assert.equal(refreshed.status, 200);
    assert.equal((await referencesOf('staging')).get('TOKEN')?.activeVersion, renewed.properties.version);
    await kv.sandboxSite().slot('staging')?.process.settled();
    assert.deepEqual(await kv.held('staging', 'TOKEN'), before, 'the same process, holding the old value');

    await kv.arm.webApps.restartSlot(rg(), siteName(), 'staging');
    await kv.holds('staging', 'TOKEN', 'new value');
  });

  it('applies a settings change without failing a request, fetching every reference anew; a restart drops requests', async () => {
    await kv.arm.webApps.updateConfigurationSlot(rg(), siteName(), 'qa', {
      linuxFxVersion: 'DOCKER|sandboxregistry.azurecr.io/contoso/web:slow',
    });
    await kv.secrets.setSecret('recycled', 'before');
    await setSettings('qa', { SECRET: secretUriReference('recycled') });
    await kv.holds('qa', 'SECRET', 'before');
    await kv.secrets.setSecret('recycled', 'after');
    const host = await kv.hostOf('qa');

    const stop = new AbortController();
    const load = generateLoad({ url: `https://${host}/`, rate: 25, durationMs: 60_000, signal: stop.signal });
    await setSettings('qa', { SECRET: secretUriReference('recycled'), ANOTHER: 'setting' });
    await kv.holds('qa', 'SECRET', 'after');
    stop.abort();
    const summary = await load;
    assert.ok(summary.sent > 10, `${summary.sent} requests were sent`);
    assert.deepEqual(Object.keys(summary.byStatus), ['200'], JSON.stringify(summary.byStatus));

    await kv.arm.webApps.restartSlot(rg(), siteName(), 'qa');
    const during = await http.get(`https://${host}/`);
    assert.equal(during.status, 503, 'the slow image is still starting after a restart');
    await kv.holds('qa', 'SECRET', 'after');
  });

  it('answers in the shape of the published examples', async () => {
    const pinned = await kv.secrets.setSecret('shape', 'value');
    await kv.arm.webApps.updateApplicationSettings(rg(), siteName(), {
      properties: { PINNED: secretUriReference('shape', pinned.properties.version) },
    });
    const listExample = fixture('rest-web-GetKeyVaultReferencesForAppSettings.json') as {
      responses: { 200: { body: unknown } };
    };
    const list = await kv.armSend('GET', `${siteId()}/config/configreferences/appsettings`, '2023-12-01');
    assert.equal(list.status, 200);
    assert.deepEqual(shapeDifferences(listExample.responses[200].body, list.body), []);
    const oneExample = fixture('rest-web-GetKeyVaultReferencesForAppSetting.json') as {
      responses: { 200: { body: { id: string } } };
    };
    const one = await kv.armSend(
      'GET',
      `${siteId()}/config/configreferences/appsettings/PINNED`,
      '2023-12-01',
    );
    assert.deepEqual(shapeDifferences(oneExample.responses[200].body, one.body), []);
    // The example's id ends with the setting's name, as the sandbox's does.
    assert.match(oneExample.responses[200].body.id, /\/config\/configreferences\/appsettings\/setting$/);
    assert.equal((one.body as { id: string }).id, `${siteId()}/config/configreferences/appsettings/PINNED`);
    const refreshed = await kv.armSend(
      'POST',
      `${siteId()}/config/configreferences/appsettings/refresh`,
      '2022-03-01',
    );
    assert.equal(refreshed.status, 200);
  });
});

describe('Key Vault references after a day on the sandbox clock', () => {
  it('fetches them again after 24 hours, and recycles the app only when a value changed', async (t) => {
    const clock = new VirtualClock(Date.now());
    const kv = await startReferenceSandbox({ clock });
    t.after(() => kv.close());
    await kv.secrets.setSecret('daily', 'day one');
    await kv.arm.webApps.updateApplicationSettingsSlot(kv.site.resourceGroup, kv.site.name, 'staging', {
      properties: { DAILY: secretUriReference('daily') },
    });
    const first = await kv.holds('staging', 'DAILY', 'day one');
    const recycled = (): Promise<void> =>
      kv.sandboxSite().slot('staging')?.process.settled() ?? Promise.resolve();

    await clock.advance(referenceCacheMs, recycled);
    assert.deepEqual(await kv.held('staging', 'DAILY'), first, 'nothing changed, nothing restarted');

    await kv.secrets.setSecret('daily', 'day two');
    await clock.advance(referenceCacheMs - 1, recycled);
    assert.deepEqual(await kv.held('staging', 'DAILY'), first, 'not yet a day since the last fetch');
    await clock.advance(1, recycled);
    const second = await kv.holds('staging', 'DAILY', 'day two');
    assert.notEqual(second.pid, first.pid);
  });
});
