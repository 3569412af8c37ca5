import type { BlobItem, BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { BackupBlob } from '../domain/backupRetention';
import { AzureOperationError, azureCall, toAzureOperationError } from './azureOperationError';
import { fromBackupMetadata } from './backupMetadata';

/** The backup container as retention sees it: every blob, and deleting one. */
export interface BackupRetentionStore {
  /** Every blob of the container with its metadata and holds, read page by page; throws if any page fails. */
  listAll(): Promise<BackupBlob[]>;
  /**
   * Deletes blob `name` (with any snapshots) if it is still at `etag`: `'done'`, or `'gone'` when it
   * is no longer there. A held blob, or one changed since it was planned, is refused with a thrown
   * AzureOperationError saying so.
   */
  delete(name: string, etag: string): Promise<'done' | 'gone'>;
}

/** The most blobs List Blobs answers in one page (`maxresults`, Blob service REST reference). */
const defaultPageSize = 5000;

/** BackupRetentionStore over the backup container (`@azure/storage-blob`). */
export class BlobBackupRetentionStore implements BackupRetentionStore {
  readonly #container: ContainerClient;
  readonly #pageSize: number;

  constructor(service: BlobServiceClient, containerName: string, options: { pageSize?: number } = {}) {
    this.#container = service.getContainerClient(containerName);
    this.#pageSize = options.pageSize ?? defaultPageSize;
  }

  listAll(): Promise<BackupBlob[]> {
    return azureCall(`list the backup container ${this.#container.containerName}`, async () => {
      const blobs: BackupBlob[] = [];
      const pages = this.#container
        .listBlobsFlat({ includeMetadata: true, includeImmutabilityPolicy: true, includeLegalHold: true })
        .byPage({ maxPageSize: this.#pageSize });
      try {
        for await (const page of pages) blobs.push(...page.segment.blobItems.map(fromBlobItem));
      } catch (err) {
        // No container yet: no backup was ever taken, so there is nothing to keep or delete.
        if (statusOf(err) === 404 && codeOf(err) === 'ContainerNotFound' && blobs.length === 0) return [];
        throw err;
      }
      return blobs;
    });
  }

  async delete(name: string, etag: string): Promise<'done' | 'gone'> {
    const operation = `delete the backup ${name}`;
    const blob = this.#container.getBlobClient(name);
    try {
      await blob.delete({ deleteSnapshots: 'include', conditions: { ifMatch: etag } });
      return 'done';
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      // If-Match fails (412) on a blob that is no longer there as much as on one that changed.
      if (statusOf(err) === 412 && !(await azureCall(operation, () => blob.exists()))) return 'gone';
      throw toRefusal(operation, err);
    }
  }
}

/** A listed blob as retention needs it; a policy in `Mutable` mode no longer holds the blob. */
function fromBlobItem(item: BlobItem): BackupBlob {
  const { properties } = item;
  const policyUntil = properties.immutabilityPolicyExpiresOn;
  const policyHolds =
    policyUntil !== undefined && properties.immutabilityPolicyMode?.toLowerCase() !== 'mutable';
  return {
    name: item.name,
    etag: properties.etag,
    lastModified: properties.lastModified.toISOString(),
    record: fromBackupMetadata(item.name, item.metadata),
    legalHold: properties.legalHold === true,
    immutableUntil: policyHolds ? policyUntil.toISOString() : undefined,
  };
}

/**
 * Azure's refusals told so a person knows what to do: `BlobImmutableDueToPolicy` (409) for a blob
 * under a legal hold or an unexpired immutability policy, `ConditionNotMet` (412) for one changed
 * since it was planned. Anything else keeps Azure's own explanation.
 */
function toRefusal(operation: string, err: unknown): AzureOperationError {
  const code = codeOf(err);
  if (statusOf(err) === 409 && code === 'BlobImmutableDueToPolicy')
    return new AzureOperationError(
      operation,
      409,
      code,
      'the blob is under a legal hold or an immutability policy; Azure keeps it until the hold is cleared or the policy ends',
    );
  if (statusOf(err) === 412 && code === 'ConditionNotMet')
    return new AzureOperationError(
      operation,
      412,
      code,
      'the blob changed after the cleanup was planned, so it was left; the next run plans it again',
    );
  return toAzureOperationError(operation, err);
}

function statusOf(err: unknown): unknown {
  return (err as { statusCode?: unknown } | null)?.statusCode;
}

function codeOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}
