import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { AppServiceKeyVaultReferences, reloadMarkerSetting } from '../../src/azure/keyVaultReferences';
import type { SiteRef } from '../../src/azure/siteRef';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { secretUriReference, startReferenceSandbox, vaultName } from '../support/referenceSandbox';
import type { ReferenceSandbox } from '../support/referenceSandbox';

describe('the Key Vault references adapter against the sandbox', () => {
  let kv: ReferenceSandbox;
  let adapter: AppServiceKeyVaultReferences;
  let site: SiteRef;
  const at = new Date('2026-03-01T12:00:00.000Z');

  before(async () => {
    kv = await startReferenceSandbox({ subscriptionId: '00000000-0000-0000-0000-0000000a2e0b' });
    site = kv.site;
    adapter = new AppServiceKeyVaultReferences(
      new WebAppsClients({ credential: kv.credential, endpoint: `${kv.url}/` }),
      () => at,
    );
  });
  after(() => kv.close());

  const setSettings = (slot: string | undefined, properties: Record<string, string>): Promise<unknown> =>
    slot === undefined
      ? kv.arm.webApps.updateApplicationSettings(site.resourceGroup, site.name, { properties })
      : kv.arm.webApps.updateApplicationSettingsSlot(site.resourceGroup, site.name, slot, { properties });

  it('reads each reference of production or a slot: setting, how it is written, vault, secret, versions and status', async () => {
    const first = await kv.secrets.setSecret('db-password', 'one');
    const second = await kv.secrets.setSecret('db-password', 'two');
    await setSettings(undefined, { DB_PASSWORD: secretUriReference('db-password'), PLAIN: 'x' });
    await setSettings('staging', {
      PINNED: secretUriReference('db-password', first.properties.version),
      MISSING: secretUriReference('not-there'),
    });

    assert.deepEqual(await adapter.references(site), [
      {
        setting: 'DB_PASSWORD',
        reference: secretUriReference('db-password'),
        status: 'Resolved',
        vault: vaultName,
        secret: 'db-password',
        pinnedVersion: undefined,
        activeVersion: second.properties.version,
        details: `Resolved to version ${second.properties.version ?? ''} of db-password.`,
      },
    ]);
    const staging = await adapter.references(site, 'staging');
    assert.deepEqual(
      staging.map((s) => [s.setting, s.status, s.pinnedVersion, s.activeVersion]),
      [
        ['PINNED', 'Resolved', first.properties.version, first.properties.version],
        ['MISSING', 'SecretNotFound', undefined, undefined],
      ],
    );
    assert.deepEqual(await adapter.references(site, 'Production'), await adapter.references(site));
  });

  it('refreshes the references to a new version, while the running app keeps its value', async () => {
    await kv.secrets.setSecret('token', 'old');
    await setSettings('qa', { TOKEN: secretUriReference('token') });
    await kv.holds('qa', 'TOKEN', 'old');
    const renewed = await kv.secrets.setSecret('token', 'new');

    await adapter.refresh(site, 'qa');

    const [token] = await adapter.references(site, 'qa');
    assert.equal(token?.activeVersion, renewed.properties.version);
    await kv.sandboxSite().slot('qa')?.process.settled();
    await kv.holds('qa', 'TOKEN', 'old');
  });

  it('reloads the app onto the new version without failing a request, keeping every other setting', async () => {
    await kv.secrets.setSecret('api-key', 'before');
    await setSettings('staging', { API_KEY: secretUriReference('api-key'), KEEP: 'me' });
    await kv.holds('staging', 'API_KEY', 'before');
    await kv.secrets.setSecret('api-key', 'after');

    const stop = new AbortController();
    const load = generateLoad({
      url: `https://${await kv.hostOf('staging')}/`,
      rate: 25,
      durationMs: 60_000,
      signal: stop.signal,
    });
    await adapter.reload(site, 'staging');
    await kv.holds('staging', 'API_KEY', 'after');
    stop.abort();
    const summary = await load;
    assert.ok(summary.sent > 0);
    assert.deepEqual(Object.keys(summary.byStatus), ['200'], JSON.stringify(summary.byStatus));

    const settings = await kv.arm.webApps.listApplicationSettingsSlot(
      site.resourceGroup,
      site.name,
      'staging',
    );
    assert.deepEqual(settings.properties, {
      API_KEY: secretUriReference('api-key'),
      KEEP: 'me',
      [reloadMarkerSetting]: at.toISOString(),
    });
  });

  it('fails with what it was doing and Azure’s answer, and no token', async () => {
    const missing = { ...site, name: 'no-such-site' };
    // The credential caches its token: the very one the adapter's requests carried.
    const token = (await kv.credential.getToken('https://management.azure.com/.default'))?.token ?? '';
    assert.ok(token.length > 10);
    for (const call of [() => adapter.refresh(missing, 'staging'), () => adapter.references(missing)]) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(err instanceof AzureOperationError);
        assert.equal(err.status, 404);
        assert.equal(err.code, 'ResourceNotFound');
        assert.match(err.message, /no-such-site/);
        const told = [err.message, err.operation, err.reason, err.code].join(' ');
        assert.ok(!told.includes(token) && !/Bearer/i.test(told), told);
        return true;
      });
    }
  });
});
