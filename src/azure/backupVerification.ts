import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupRecord } from '../domain/backupRecord';
import { toAzureOperationError } from './azureOperationError';
import type { BackupStore } from './backupStore';
import { pgRestoreListCommand } from './postgresCommands';
import { startPgProgram } from './postgresProgram';
import type { PgTools } from './postgresTools';

export type BackupVerification = { ok: true } | { ok: false; reason: string };

/**
 * Reads the backup back from Blob storage into `pg_restore --list`, which must read its table of
 * contents, and checks that what was read has the size and SHA-256 recorded at upload. The download is
 * streamed, never held whole.
 */
export async function verifyBackup(run: {
  tools: PgTools;
  store: BackupStore;
  record: BackupRecord;
}): Promise<BackupVerification> {
  const { record } = run;
  const body = await run.store.open(record.name);
  const list = startPgProgram(run.tools.pgRestore, pgRestoreListCommand(), {
    operation: 'pg_restore --list',
    stdin: 'pipe',
    stdout: 'ignore',
    secrets: [],
  });
  const stdin = list.stdin;
  if (!stdin) throw new Error('pg_restore was started without an input pipe.');
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const readBack = new HashingFeed(stdin, (chunk) => {
    hash.update(chunk);
    sizeBytes += chunk.length;
  });
  const [download, listing] = await Promise.allSettled([pipeline(body, readBack), list.exited]);
  if (download.status === 'rejected') {
    list.stop();
    return { ok: false, reason: toAzureOperationError('read it back', download.reason).message };
  }
  if (listing.status === 'rejected') return { ok: false, reason: messageOf(listing.reason) };
  const sha256 = hash.digest('hex');
  if (sizeBytes !== record.sizeBytes || sha256 !== record.sha256) {
    return {
      ok: false,
      reason:
        `read back ${sizeBytes} bytes with SHA-256 ${sha256}, but ${String(record.sizeBytes)} bytes ` +
        `with SHA-256 ${String(record.sha256)} were uploaded`,
    };
  }
  return { ok: true };
}

/**
 * Feeds a program's stdin while it reads, and lets everything pass through `observe` to the end.
 * `pg_restore --list` stops reading after the table of contents; the rest must still be hashed.
 */
class HashingFeed extends Writable {
  #open = true;

  constructor(
    private readonly stdin: Writable,
    private readonly observe: (chunk: Buffer) => void,
  ) {
    super();
    // EPIPE once the program has stopped reading: expected, not a failure of the download.
    stdin.on('error', () => (this.#open = false));
    stdin.once('close', () => (this.#open = false));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.observe(chunk);
    if (!this.#open || this.stdin.write(chunk)) {
      callback();
      return;
    }
    const resume = (): void => {
      this.stdin.off('drain', resume);
      this.stdin.off('close', resume);
      callback();
    };
    this.stdin.on('drain', resume);
    this.stdin.on('close', resume);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#open) this.stdin.end();
    callback();
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
