import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { InvocationContext } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { carryOutBackupsItem, planBackupsCleanup } from '../../src/activities/backupCleanup';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { BlobBackupRetentionStore } from '../../src/azure/backupRetentionStore';
import { BlobBackupStore } from '../../src/azure/backupStore';
import type { BackupsCleanupServices } from '../../src/backupsCleanupServices';
import { loadConfig } from '../../src/config';
import type { Config } from '../../src/config';
import type { BackupRecord } from '../../src/domain/backupRecord';
import type { BackupsInUse } from '../../src/domain/backupRetention';
import type { CleanupPlan } from '../../src/domain/cleanupPlan';
import { backupRecord } from '../support/backupRecords';
import { tempDir } from '../support/testHost';

const now = new Date();
const daysAgo = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString();
const container = 'shepherd-backups';

/** Settings whose one target, web, keeps the backups of its database appdb for 30 days. */
function configWithWeb(): Config {
  const root = tempDir('backup-cleanup-config');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '0.0.0' }));
  const web = {
    name: 'web',
    site: { subscriptionId: '00000000-0000-0000-0000-0000000000b1', resourceGroup: 'rg', name: 'web' },
    registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/web' },
    database: {
      host: 'db.example',
      name: 'appdb',
      user: 'shepherd',
      credential: { keyVaultSecretUri: 'https://shepherd-test.vault.azure.net/secrets/db-password' },
    },
  };
  writeFileSync(join(root, 'targets.json'), JSON.stringify({ targets: [web] }));
  return loadConfig(
    {
      SHEPHERD_TASK_HUB: 'CleanupTests',
      SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
      SHEPHERD_BACKUP_STORAGE: 'UseDevelopmentStorage=true',
    },
    root,
  );
}

describe('backup cleanup activities, on Azurite', () => {
  let azurite: RunningAzurite;
  let blobs: BlobServiceClient;
  let inUse: BackupsInUse = { releases: [], restores: [] };
  const config = configWithWeb();
  const context = new InvocationContext({ functionName: 'planBackupsCleanup', invocationId: 'test' });
  const services = (): BackupsCleanupServices => ({
    store: new BlobBackupRetentionStore(blobs, container),
    // The task hub's answer, as readBackupsInUse gives it (its mapping is tested on its own).
    inUse: () => Promise.resolve(inUse),
  });

  /** Writes a backup the way a backup does: uploaded first, then its state recorded. */
  async function backUp(name: string, age: number, overrides: Partial<BackupRecord> = {}): Promise<void> {
    const record = backupRecord({ name, takenAt: daysAgo(age), verifiedAt: daysAgo(age), ...overrides });
    const store = new BlobBackupStore(blobs, container);
    await store.upload({ ...record, status: null }, Readable.from([`dump of ${name}`]));
    await store.record(record);
  }
  const exists = (name: string): Promise<boolean> =>
    blobs.getContainerClient(container).getBlobClient(name).exists();
  const plan = (): Promise<CleanupPlan> =>
    planBackupsCleanup(config, services())({ now: now.toISOString() }, context);
  const actions = (p: CleanupPlan): Record<string, string> =>
    Object.fromEntries(p.items.map((i) => [i.id.replace('backup:', ''), i.action]));

  before(async () => {
    azurite = await startAzurite({ location: tempDir('backup-cleanup-azurite') });
    blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    await backUp('web/appdb/newest-verified.dump', 90);
    await backUp('web/appdb/older.dump', 95);
    await backUp('web/appdb/failed.dump', 2, { status: 'verificationFailed', reason: 'hash mismatch' });
    await backUp('web/appdb/verifying.dump', 0.01, { status: 'uploaded', verifiedAt: null });
    await backUp('web/appdb/restoring.dump', 120);
    await backUp('gone/db/left.dump', 400, { target: 'gone', database: 'db' });
    await blobs.getContainerClient(container).getBlockBlobClient('readme.txt').upload('hello', 5);
  });
  after(() => azurite.stop());

  it('keeps the newest verified backup even when it is 90 days old, and plans the rest with reasons', async () => {
    inUse = { releases: [], restores: [{ id: 'r-1', backup: 'web/appdb/restoring.dump' }] };
    const planned = await plan();
    assert.equal(planned.kind, 'backups');
    assert.equal(planned.at, now.toISOString());
    assert.deepEqual(actions(planned), {
      'gone/db/left.dump': 'report',
      'readme.txt': 'report',
      'web/appdb/failed.dump': 'delete',
      'web/appdb/newest-verified.dump': 'keep',
      'web/appdb/older.dump': 'delete',
      'web/appdb/restoring.dump': 'keep',
      'web/appdb/verifying.dump': 'keep',
    });
    assert.ok(planned.items.every((i) => i.reasons.length > 0));
  });

  it('deletes each planned blob once, answering gone when asked again, and leaves everything else', async () => {
    const planned = await plan();
    const carryOut = carryOutBackupsItem(config, services());
    for (const item of planned.items.filter((i) => i.action === 'delete')) {
      assert.equal(await carryOut({ item }), 'done');
      assert.equal(await carryOut({ item }), 'gone');
    }
    assert.deepEqual(
      await Promise.all(
        ['web/appdb/older.dump', 'web/appdb/failed.dump', 'web/appdb/newest-verified.dump', 'readme.txt'].map(
          exists,
        ),
      ),
      [false, false, true, true],
    );
    assert.deepEqual(actions(await plan()), {
      'gone/db/left.dump': 'report',
      'readme.txt': 'report',
      'web/appdb/newest-verified.dump': 'keep',
      'web/appdb/restoring.dump': 'keep',
      'web/appdb/verifying.dump': 'keep',
    });
  });

  it('leaves a blob that changed after it was planned, saying so', async () => {
    inUse = { releases: [], restores: [] };
    const planned = await plan();
    const item = planned.items.find((i) => i.id === 'backup:web/appdb/restoring.dump');
    assert.equal(item?.action, 'delete');
    await blobs
      .getContainerClient(container)
      .getBlobClient('web/appdb/restoring.dump')
      .setMetadata({ note: 'touched' });
    await assert.rejects(carryOutBackupsItem(config, services())({ item }), AzureOperationError);
    assert.equal(await exists('web/appdb/restoring.dump'), true);
  });

  it('refuses to carry out anything but a delete', async () => {
    const item = (await plan()).items.find((i) => i.action === 'keep');
    assert.ok(item);
    await assert.rejects(carryOutBackupsItem(config, services())({ item }), /only deletes/);
  });

  it('makes no plan when the task hub cannot be read', async () => {
    const failing: BackupsCleanupServices = {
      ...services(),
      inUse: () =>
        Promise.reject(new Error("The task hub's instances could not be listed: it answered 503.")),
    };
    await assert.rejects(
      planBackupsCleanup(config, failing)({ now: now.toISOString() }, context),
      /answered 503/,
    );
  });
});
