import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { AzureOperationError } from '../../src/azure/azureOperationError';
import { BlobBackupStore } from '../../src/azure/backupStore';
import { BlobBackupRetentionStore } from '../../src/azure/backupRetentionStore';
import { backupRecord } from '../support/backupRecords';
import { tempDir } from '../support/testHost';

describe('the backup container as retention reads it, on Azurite', () => {
  let azurite: RunningAzurite;
  let blobs: BlobServiceClient;
  const container = 'retention';

  before(async () => {
    azurite = await startAzurite({ location: tempDir('retention-azurite') });
    blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const backups = new BlobBackupStore(blobs, container);
    for (const n of [1, 2, 3, 4]) {
      const name = `web/appdb/2026010${String(n)}T000000.000Z_on-demand.dump`;
      await backups.upload(
        backupRecord({ name, status: null, sizeBytes: null, sha256: null }),
        Readable.from([`dump ${String(n)}`]),
      );
      await backups.record(backupRecord({ name, takenAt: `2026-01-0${String(n)}T00:00:00.000Z` }));
    }
    await blobs.getContainerClient(container).getBlockBlobClient('notes.txt').upload('not a backup', 12);
  });
  after(() => azurite.stop());

  it('lists every blob across pages, with its backup record, ETag and time, and no holds', async () => {
    const listed = await new BlobBackupRetentionStore(blobs, container, { pageSize: 2 }).listAll();
    assert.equal(listed.length, 5);
    const notes = listed.find((b) => b.name === 'notes.txt');
    assert.equal(notes?.record, undefined);
    const first = listed.find((b) => b.name.startsWith('web/appdb/20260101'));
    assert.ok(first);
    assert.deepEqual([first.record?.takenAt, first.record?.status], ['2026-01-01T00:00:00.000Z', 'verified']);
    assert.match(first.etag, /^"?0x/);
    assert.ok(Date.parse(first.lastModified) > Date.parse('2026-01-01'));
    assert.ok(listed.every((b) => !b.legalHold && b.immutableUntil === undefined));
  });

  it('lists nothing when the container was never created', async () => {
    assert.deepEqual(await new BlobBackupRetentionStore(blobs, 'never-made').listAll(), []);
  });

  it('deletes a blob still at its planned ETag, and answers gone the second time', async () => {
    const store = new BlobBackupRetentionStore(blobs, container);
    const target = (await store.listAll()).find((b) => b.name.startsWith('web/appdb/20260102'));
    assert.ok(target);
    assert.equal(await store.delete(target.name, target.etag), 'done');
    assert.equal(await blobs.getContainerClient(container).getBlobClient(target.name).exists(), false);
    assert.equal(await store.delete(target.name, target.etag), 'gone');
  });

  it('refuses to delete a blob changed since it was planned, and leaves it', async () => {
    const store = new BlobBackupRetentionStore(blobs, container);
    const target = (await store.listAll()).find((b) => b.name.startsWith('web/appdb/20260103'));
    assert.ok(target);
    const blob = blobs.getContainerClient(container).getBlobClient(target.name);
    await blob.setMetadata({ target: 'web', database: 'appdb', takenat: '2026-01-03T00:00:00.000Z' });
    await assert.rejects(store.delete(target.name, target.etag), (err: unknown) => {
      assert.ok(err instanceof AzureOperationError);
      assert.equal(err.status, 412);
      assert.match(err.message, /changed after the cleanup was planned/);
      return true;
    });
    assert.equal(await blob.exists(), true);
  });
});

/**
 * Azurite does not implement legal holds or immutability policies (its setLegalHold and
 * setImmutabilityPolicy answer 501, and its listings leave the properties out), so these answer as
 * the Blob service does (List Blobs with `include=immutabilitypolicy,legalhold`; Delete Blob's 409
 * `BlobImmutableDueToPolicy`) from a small local server, read by the real SDK client.
 */
describe('held blobs, as Azure lists and refuses them', () => {
  const heldName = 'web/appdb/20250101T000000.000Z_on-demand.dump';
  const listing =
    '<?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="backups"><Blobs>' +
    `<Blob><Name>${heldName}</Name><Properties><Last-Modified>Wed, 01 Jan 2025 00:00:10 GMT</Last-Modified>` +
    '<Etag>0x8DD1</Etag><Content-Length>4</Content-Length><BlobType>BlockBlob</BlobType>' +
    '<ImmutabilityPolicyUntilDate>Fri, 01 Jan 2027 00:00:00 GMT</ImmutabilityPolicyUntilDate>' +
    '<ImmutabilityPolicyMode>locked</ImmutabilityPolicyMode><LegalHold>true</LegalHold></Properties>' +
    '<Metadata><target>web</target><database>appdb</database><takenat>2025-01-01T00:00:00.000Z</takenat></Metadata></Blob>' +
    '<Blob><Name>released.dump</Name><Properties><Last-Modified>Wed, 01 Jan 2025 00:00:10 GMT</Last-Modified>' +
    '<Etag>0x8DD2</Etag><Content-Length>4</Content-Length><BlobType>BlockBlob</BlobType>' +
    '<ImmutabilityPolicyUntilDate>Fri, 01 Jan 2027 00:00:00 GMT</ImmutabilityPolicyUntilDate>' +
    '<ImmutabilityPolicyMode>Mutable</ImmutabilityPolicyMode><LegalHold>false</LegalHold></Properties></Blob>' +
    '</Blobs><NextMarker /></EnumerationResults>';
  const refusal =
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobImmutableDueToPolicy</Code>' +
    '<Message>This operation is not permitted as the blob is immutable due to a policy.</Message></Error>';
  const denied =
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code>' +
    '<Message>This request is not authorized to perform this operation using this permission.</Message></Error>';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.endsWith('/paged')) {
      // The first page promises a second; the second is refused.
      const second = url.searchParams.has('marker');
      res.writeHead(second ? 403 : 200, {
        'content-type': 'application/xml',
        ...(second ? { 'x-ms-error-code': 'AuthorizationPermissionMismatch' } : {}),
      });
      res.end(second ? denied : listing.replace('<NextMarker />', '<NextMarker>page2</NextMarker>'));
      return;
    }
    const immutable = req.method === 'DELETE';
    res.writeHead(immutable ? 409 : 200, {
      'content-type': 'application/xml',
      ...(immutable ? { 'x-ms-error-code': 'BlobImmutableDueToPolicy' } : {}),
    });
    res.end(immutable ? refusal : listing);
  });
  let store: BlobBackupRetentionStore;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    store = new BlobBackupRetentionStore(
      new BlobServiceClient(`http://127.0.0.1:${String(port)}/account`),
      'backups',
    );
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads a legal hold and a locked immutability policy from the listing', async () => {
    const [held, released] = await store.listAll();
    assert.deepEqual(
      [held?.name, held?.legalHold, held?.immutableUntil, held?.record?.target],
      [heldName, true, '2027-01-01T00:00:00.000Z', 'web'],
    );
    assert.deepEqual([released?.legalHold, released?.immutableUntil], [false, undefined]);
  });

  it('fails the whole listing when a later page fails, never answering part of it', async () => {
    const { port } = server.address() as AddressInfo;
    const paged = new BlobBackupRetentionStore(
      new BlobServiceClient(`http://127.0.0.1:${String(port)}/account`),
      'paged',
    );
    await assert.rejects(paged.listAll(), (err: unknown) => {
      assert.ok(err instanceof AzureOperationError);
      assert.deepEqual([err.status, err.code], [403, 'AuthorizationPermissionMismatch']);
      return true;
    });
  });

  it('throws a clear refusal when Azure will not delete a held blob', async () => {
    await assert.rejects(store.delete(heldName, '0x8DD1'), (err: unknown) => {
      assert.ok(err instanceof AzureOperationError);
      assert.deepEqual([err.status, err.code], [409, 'BlobImmutableDueToPolicy']);
      assert.match(err.message, /legal hold or an immutability policy/);
      return true;
    });
  });
});
