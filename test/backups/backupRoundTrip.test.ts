import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { checkRestore } from '../../src/activities/checkRestore';
import { prepareRestoreDatabase } from '../../src/activities/prepareRestoreDatabase';
import { restoreBackup } from '../../src/activities/restoreBackup';
import { takeBackup } from '../../src/activities/takeBackup';
import type { BackupSummary } from '../../src/activities/takeBackup';
import type { BackupServices } from '../../src/backupServices';
import type { Target } from '../../src/config';
import { isUsableBackup } from '../../src/domain/backupRecord';
import { contentsOf, createShopDatabase, recordingContext } from './shopDatabase';
import { schemaOf, startTestbed, targetWith } from './testbed';
import type { Testbed } from './testbed';

const releaseId = 'release:web:0a1b2c3d4e5f60718293a4b5';
const image = `contoso.azurecr.io/contoso/web:2.0.0@sha256:${'ab'.repeat(32)}`;

describe('a backup of a real database, verified and restored', () => {
  let bed: Testbed;
  let target: Target;
  let services: BackupServices;
  let backup: BackupSummary;
  let startedAt: string;

  before(async () => {
    bed = await startTestbed();
    await createShopDatabase(bed.server, 'shop');
    target = targetWith(bed.server, { name: 'shop' });
    services = bed.services();
  });
  after(() => bed.stop());

  it('streams pg_dump into a blob named for what it is, and records it as verified', async () => {
    const context = recordingContext('takeBackup');
    startedAt = new Date().toISOString();
    const result = await takeBackup(services)({ target, releaseId, image, requestedAt: startedAt }, context);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    backup = result.backup;
    assert.match(backup.name, /^web\/shop\/\d{8}T\d{6}\.\d{3}Z_release-web-0a1b2c3d4e5f60718293a4b5\.dump$/);
    assert.equal(backup.releaseId, releaseId);
    assert.equal(backup.image, image);
    assert.match(backup.pgDumpVersion, /^\d+\.\d+$/);
    assert.match(backup.serverVersion, /^\d+\.\d+$/);

    const blob = bed.blobs.getContainerClient('backups').getBlobClient(backup.name);
    const bytes = await blob.downloadToBuffer();
    assert.equal(bytes.subarray(0, 5).toString('latin1'), 'PGDMP', 'a pg_dump custom-format archive');
    assert.equal(backup.sizeBytes, bytes.length);
    assert.equal(backup.sha256, createHash('sha256').update(bytes).digest('hex'));
    const { metadata } = await blob.getProperties();
    assert.deepEqual(
      {
        status: metadata?.status,
        sha256: metadata?.sha256,
        sizebytes: metadata?.sizebytes,
        database: metadata?.database,
        target: metadata?.target,
        releaseid: metadata?.releaseid,
        image: metadata?.image,
      },
      {
        status: 'verified',
        sha256: backup.sha256,
        sizebytes: String(bytes.length),
        database: 'shop',
        target: 'web',
        releaseid: releaseId,
        image,
      },
    );
    assert.ok(metadata?.verifiedat, 'the verification time is recorded');
    assert.ok(!context.lines.join('\n').includes(bed.server.password));
  });

  it('lists the backup as usable', async () => {
    const records = await services.store.list('web/');
    assert.deepEqual(
      records.map((r) => [r.name, r.status, isUsableBackup(r)]),
      [[backup.name, 'verified', true]],
    );
  });

  it('gives a repeated request the verified backup it took already, and a new request a new backup', async () => {
    const repeated = { target, releaseId, image, requestedAt: startedAt };
    const again = await takeBackup(services)(repeated, recordingContext('takeBackup'));
    assert.ok(again.ok);
    assert.deepEqual(again.backup, backup);
    assert.equal((await services.store.list('web/')).length, 1);

    const later = { ...repeated, requestedAt: new Date(Date.parse(backup.takenAt) + 1).toISOString() };
    const fresh = await takeBackup(services)(later, recordingContext('takeBackup'));
    assert.ok(fresh.ok);
    assert.notEqual(fresh.backup.name, backup.name);
    assert.equal((await services.store.list('web/')).length, 2);
  });

  it('restores into a new database with the same schema, rows and sequence positions', async () => {
    const asked = { target, backup: backup.name, database: 'shop_restored', overwrite: false };
    assert.deepEqual(await checkRestore(services)(asked), { ok: true, replace: false });
    const prepared = await prepareRestoreDatabase(services)(
      { target, database: 'shop_restored', replace: false, requestedBy: 'test' },
      recordingContext('prepareRestoreDatabase'),
    );
    assert.deepEqual(prepared, { ok: true });
    const restored = await restoreBackup(services)(
      { target, backup: backup.name, database: 'shop_restored' },
      recordingContext('restoreBackup'),
    );
    assert.deepEqual(restored, { ok: true });

    const [original, copy] = await Promise.all([
      contentsOf(bed.server, 'shop'),
      contentsOf(bed.server, 'shop_restored'),
    ]);
    assert.equal(Object.keys(original).length, 5, 'four tables and the sequences');
    assert.deepEqual(copy, original);
    const [originalSchema, copySchema] = await Promise.all([
      schemaOf(bed.tools, bed.server, 'shop'),
      schemaOf(bed.tools, bed.server, 'shop_restored'),
    ]);
    assert.match(originalSchema, /CREATE INDEX orders_details ON public\.orders USING gin/);
    assert.equal(copySchema, originalSchema);
  });

  it('ends in the same state when the restore runs again, as a retried activity would', async () => {
    const before = await contentsOf(bed.server, 'shop_restored');
    const again = await restoreBackup(services)(
      { target, backup: backup.name, database: 'shop_restored' },
      recordingContext('restoreBackup'),
    );
    assert.deepEqual(again, { ok: true });
    assert.deepEqual(await contentsOf(bed.server, 'shop_restored'), before);
  });

  it('refuses to restore over an existing database unless asked to overwrite, then replaces it', async () => {
    const asked = { target, backup: backup.name, database: 'shop_restored', overwrite: false };
    const refused = await checkRestore(services)(asked);
    assert.ok(!refused.ok);
    assert.match(
      refused.reason,
      /the database shop_restored exists; to replace it, ask again with "overwrite": true/,
    );

    assert.deepEqual(await checkRestore(services)({ ...asked, overwrite: true }), {
      ok: true,
      replace: true,
    });
    const context = recordingContext('prepareRestoreDatabase');
    const prepared = await prepareRestoreDatabase(services)(
      { target, database: 'shop_restored', replace: true, requestedBy: 'ops@contoso.com' },
      context,
    );
    assert.deepEqual(prepared, { ok: true });
    assert.match(
      context.lines.join('\n'),
      /replacing database shop_restored of web, as ops@contoso\.com asked/,
    );
    assert.deepEqual(
      await restoreBackup(services)(
        { target, backup: backup.name, database: 'shop_restored' },
        recordingContext('restoreBackup'),
      ),
      { ok: true },
    );
    assert.deepEqual(await contentsOf(bed.server, 'shop_restored'), await contentsOf(bed.server, 'shop'));
  });

  it('refuses a backup that does not exist, or that belongs to another target', async () => {
    const asked = { target, database: 'shop_other', overwrite: false };
    const missing = await checkRestore(services)({
      ...asked,
      backup: 'web/shop/20000101T000000.000Z_on-demand.dump',
    });
    assert.ok(!missing.ok);
    assert.match(missing.reason, /there is no backup web\/shop\/20000101T000000\.000Z_on-demand\.dump/);
    const foreign = await checkRestore(services)({ ...asked, backup: backup.name.replace(/^web\//, 'api/') });
    assert.ok(!foreign.ok);
    assert.match(foreign.reason, /there is no backup api\//);
  });
});
