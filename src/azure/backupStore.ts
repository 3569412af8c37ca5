import type { Readable } from 'node:stream';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { BackupRecord } from '../domain/backupRecord';
import { azureCall } from './azureOperationError';
import { fromBackupMetadata, toBackupMetadata } from './backupMetadata';

/** Where backups are kept: one blob per backup, what is known about it in the blob's metadata. */
export interface BackupStore {
  /**
   * Uploads `body` as the new blob `record.name`, recording `record`. The blob exists only once `body`
   * has ended without an error: a body that fails leaves no blob. An existing blob is never replaced.
   */
  upload(record: BackupRecord, body: Readable): Promise<void>;
  /** Records `record` on its (committed) blob, replacing what was recorded. */
  record(record: BackupRecord): Promise<void>;
  /** The backup's bytes, streamed. */
  open(name: string): Promise<NodeJS.ReadableStream>;
  /** The backup named `name`, or undefined when there is no such blob. */
  get(name: string): Promise<BackupRecord | undefined>;
  /** Every backup whose name starts with `prefix`, in no particular order. */
  list(prefix: string): Promise<BackupRecord[]>;
}

/**
 * Blocks of 4 MiB, at most 4 in memory: 16 MiB of buffers bound the upload's memory whatever the size
 * of the database. 4 MiB blocks are the smallest Azure stores as high-throughput block blobs, and with
 * at most 50,000 blocks a blob they allow dumps of up to 195 GiB. Three of the four go out at once,
 * which keeps a local disk or a storage account busy while pg_dump fills the fourth.
 */
const blockBytes = 4 * 1024 * 1024;
const blocksInMemory = 4;

/** BackupStore over one Blob storage container (`@azure/storage-blob`), created on first use. */
export class BlobBackupStore implements BackupStore {
  readonly #container: ContainerClient;
  #created: Promise<unknown> | undefined;

  constructor(service: BlobServiceClient, containerName: string) {
    this.#container = service.getContainerClient(containerName);
  }

  async upload(record: BackupRecord, body: Readable): Promise<void> {
    await this.#ensureContainer();
    await azureCall(`upload the backup ${record.name}`, () =>
      this.#container.getBlockBlobClient(record.name).uploadStream(body, blockBytes, blocksInMemory, {
        metadata: toBackupMetadata(record),
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
        conditions: { ifNoneMatch: '*' },
      }),
    );
  }

  async record(record: BackupRecord): Promise<void> {
    await azureCall(`record the state of the backup ${record.name}`, () =>
      this.#container.getBlobClient(record.name).setMetadata(toBackupMetadata(record)),
    );
  }

  async open(name: string): Promise<NodeJS.ReadableStream> {
    const download = await azureCall(`read the backup ${name}`, () =>
      this.#container.getBlobClient(name).download(0),
    );
    const body = download.readableStreamBody;
    if (!body) throw new Error(`Reading the backup ${name} gave no stream.`);
    return body;
  }

  async get(name: string): Promise<BackupRecord | undefined> {
    const properties = await azureCall(`read the backup ${name}`, async () => {
      try {
        return await this.#container.getBlobClient(name).getProperties();
      } catch (err) {
        if ((err as { statusCode?: unknown }).statusCode === 404) return undefined;
        throw err;
      }
    });
    return properties === undefined ? undefined : fromBackupMetadata(name, properties.metadata);
  }

  async list(prefix: string): Promise<BackupRecord[]> {
    return azureCall(`list the backups under ${prefix}`, async () => {
      const records: BackupRecord[] = [];
      if (!(await this.#container.exists())) return records;
      for await (const blob of this.#container.listBlobsFlat({ prefix, includeMetadata: true })) {
        const record = fromBackupMetadata(blob.name, blob.metadata);
        if (record) records.push(record);
      }
      return records;
    });
  }

  #ensureContainer(): Promise<unknown> {
    this.#created ??= azureCall(`create the backup container ${this.#container.containerName}`, () =>
      this.#container.createIfNotExists(),
    ).catch((err: unknown) => {
      this.#created = undefined;
      throw err;
    });
    return this.#created;
  }
}
