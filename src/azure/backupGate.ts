import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** How many bytes went through, and their SHA-256 (hex). */
export interface BackupDigest {
  sizeBytes: number;
  sha256: string;
}

/**
 * Passes a dump through to its upload, hashing and counting it, and holds back the end of the stream
 * until the program writing the dump has exited: `ended` resolving lets the stream end; rejecting makes
 * it fail instead. pg_dump's exit code is only known after its output ends, and an upload commits its
 * blob when the stream ends, so without the gate a failed dump would be committed as if complete.
 */
export class BackupGate extends Transform {
  readonly #hash = createHash('sha256');
  #sizeBytes = 0;
  #digest: BackupDigest | undefined;
  readonly #ended: Promise<void>;

  constructor(ended: Promise<void>) {
    super();
    this.#ended = ended;
    // A program that fails before its output even ends (it could not start) fails the stream at once.
    ended.catch((err: unknown) => this.destroy(toError(err)));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#sizeBytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#ended.then(
      () => {
        this.#digest = { sizeBytes: this.#sizeBytes, sha256: this.#hash.digest('hex') };
        callback();
      },
      (err: unknown) => callback(toError(err)),
    );
  }

  /** The digest of everything that passed; throws before the stream has ended successfully. */
  digest(): BackupDigest {
    if (!this.#digest) throw new Error('The dump has not ended successfully; it has no digest.');
    return this.#digest;
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
