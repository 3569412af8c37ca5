import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SecretClient } from '@azure/keyvault-secrets';
import { Client } from 'pg';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { startPostgres } from '../support/postgres';
import type { RunningPostgres } from '../support/postgres';
import { rigRegistry, rigSubscription, rigVault, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, tempDir, waitFor } from '../support/testHost';

interface ReleaseView {
  phase: string;
  runtimeStatus: string;
  outcome?: string;
  reason?: string;
  backup?: { name: string; sizeBytes: number; sha256: string };
}

interface BackupView {
  name: string;
  releaseId: string | null;
  usable: boolean;
  sha256: string | null;
}

describe('the backup a release takes before its image starts', () => {
  let postgres: RunningPostgres;
  let azurite: RunningAzurite;
  let rig: ReleaseRig;
  let secrets: SecretClient;
  let password: string;

  before(async () => {
    postgres = await startPostgres();
    const url = new URL(postgres.url);
    password = decodeURIComponent(url.password);
    const admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS shop');
    await admin.query('CREATE DATABASE shop');
    await admin.end();
    const shop = new Client({
      connectionString: Object.assign(new URL(postgres.url), { pathname: '/shop' }).href,
    });
    await shop.connect();
    await shop.query('CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)');
    await shop.query("INSERT INTO orders (item) SELECT 'item ' || n FROM generate_series(1, 500) AS n");
    await shop.end();

    azurite = await startAzurite({ location: tempDir('backup-gate-azurite') });
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
      settings: { SHEPHERD_BACKUP_STORAGE: azurite.connectionString },
      targets: (sandboxUrl) => [
        {
          name: 'web',
          strategy: 'blueGreen',
          site: { subscriptionId: rigSubscription, resourceGroup: 'rg', name: 'web', slot: 'staging' },
          registry: { loginServer: rigRegistry, repository: 'contoso/web' },
          smokeChecks: [{ path: '/health', expectStatus: 200 }],
          bakeMinutes: 0,
          database: {
            host: url.hostname,
            port: Number(url.port),
            name: 'shop',
            user: decodeURIComponent(url.username),
            sslMode: 'disable',
            credential: { keyVaultSecretUri: `${sandboxUrl}/secrets/shop-db-password` },
          },
        },
      ],
    });
    secrets = rigVault(rig);
    await secrets.setSecret('shop-db-password', password);
  });

  after(async () => {
    await rig.stop();
    await azurite.stop();
    await postgres.stop();
  });

  async function releaseOf(tag: string): Promise<{ id: string; view: ReleaseView }> {
    const push = await rig.sandbox.registry.push(`contoso/web:${tag}`);
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
    );
    const id = await waitFor(
      `the release of ${tag} to start`,
      () =>
        Promise.resolve(
          rig.host?.engine.list().find((s) => (s.input as { tag?: string }).tag === tag)?.instanceId,
        ),
      30_000,
    );
    const view = await waitFor(
      `the release of ${tag} to finish`,
      async () => {
        const res = await call(rig.url, `/api/releases/${encodeURIComponent(id)}`, { key: rig.functionKey });
        const body = res.body as ReleaseView;
        return body.runtimeStatus === 'Completed' ? body : undefined;
      },
      90_000,
    );
    return { id, view };
  }

  async function backups(): Promise<BackupView[]> {
    const res = await call(rig.url, '/api/targets/web/backups', { key: rig.functionKey });
    assert.equal(res.status, 200);
    return (res.body as { backups: BackupView[] }).backups;
  }

  it('backs the database up, verified, before the new image reaches the slot', async () => {
    const { id, view } = await releaseOf('2.0.0');
    assert.equal(view.outcome, 'succeeded', view.reason);
    assert.ok(view.backup, 'the release status names its backup');
    const listed = await backups();
    const taken = listed.find((b) => b.name === view.backup?.name);
    assert.ok(taken, 'the backup is listed');
    assert.equal(taken.releaseId, id);
    assert.equal(taken.usable, true);
    assert.equal(taken.sha256, view.backup.sha256);
  });

  it('stops the release before anything is deployed when the backup fails, saying why without the password', async () => {
    const slot = rig.siteNamed('web').slot('staging');
    const slotImageBefore = slot?.config.siteConfig.linuxFxVersion;
    await secrets.setSecret('shop-db-password', 'not-the-password');
    const before = (await backups()).length;
    const { view } = await releaseOf('2.1.0');
    assert.equal(view.outcome, 'failed');
    assert.match(view.reason ?? '', /^no verified backup, so nothing was deployed: /);
    assert.match(view.reason ?? '', /password authentication failed/);
    assert.ok(!(view.reason ?? '').includes('not-the-password'), 'the reason holds no password');
    assert.equal(view.backup, undefined);
    assert.equal(slot?.config.siteConfig.linuxFxVersion, slotImageBefore, 'the slot was left alone');
    const after = await backups();
    assert.equal(after.filter((b) => b.usable).length, before, 'no new usable backup appeared');
  });
});
