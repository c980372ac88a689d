/**
 * Mode 1's single-stream save: the body goes to `<final>.part` (positional writes at increasing
 * offsets, staged in 1 MiB so a fast body does not cost one syscall per socket read), is hashed on
 * the way, checked against Content-Length and `Repr-Digest` when sent, fsynced, and only then
 * renamed to the final name. On any failure the `.part` file is removed: nothing partial is ever
 * left under the final name, and a plain single stream has no manifest to resume from.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClientResponse } from '@lb/http-wire';
import { partPathFor, syncDirectory, writeFully } from '@lb/segments';
import { localFileError, NetworkError, networkError, VerificationError } from './errors.js';

const STAGE_BYTES = 1024 * 1024;

export interface SaveOptions {
  url: string;
  /** Base64 SHA-256 the body must have (from Repr-Digest), if known. */
  expectedSha256?: string;
  /** Called with the size of each chunk received. */
  onChunk?: (bytes: number) => void;
}

export interface SavedFile {
  path: string;
  bytes: number;
  sha256: string;
}

export async function saveResponseBody(
  response: ClientResponse,
  finalPath: string,
  options: SaveOptions,
): Promise<SavedFile> {
  const partPath = partPathFor(finalPath);
  let handle: FileHandle;
  try {
    handle = await open(partPath, 'w', 0o644);
  } catch (error) {
    throw localFileError(partPath, 'create', error);
  }
  const hash = createHash('sha256');
  const stage = new Uint8Array(Math.min(STAGE_BYTES, response.head.contentLength ?? STAGE_BYTES));
  let staged = 0;
  let flushed = 0;
  let received = 0;
  const flush = async () => {
    if (staged === 0) return;
    try {
      await writeFully(handle, stage.subarray(0, staged), flushed);
    } catch (error) {
      throw localFileError(partPath, 'write', error);
    }
    flushed += staged;
    staged = 0;
  };
  try {
    try {
      for await (const chunk of response.body) {
        hash.update(chunk);
        received += chunk.byteLength;
        let offset = 0;
        while (offset < chunk.byteLength) {
          const take = Math.min(stage.byteLength - staged, chunk.byteLength - offset);
          stage.set(chunk.subarray(offset, offset + take), staged);
          staged += take;
          offset += take;
          if (staged === stage.byteLength) await flush();
        }
        options.onChunk?.(chunk.byteLength);
      }
    } catch (error) {
      if (error instanceof Error && 'exitCode' in error) throw error;
      throw networkError(options.url, error);
    }
    await flush();
    const expected = response.head.contentLength;
    if (expected !== null && received !== expected) {
      throw new NetworkError(
        options.url,
        `${options.url}: received ${received} of ${expected} body bytes`,
      );
    }
    const sha256 = hash.digest('base64');
    if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256) {
      throw new VerificationError(
        `${options.url}: the body's SHA-256 is ${sha256}, but Repr-Digest says ${options.expectedSha256}`,
      );
    }
    try {
      await handle.sync();
      await handle.close();
      await rename(partPath, finalPath);
      await syncDirectory(dirname(finalPath));
    } catch (error) {
      throw localFileError(finalPath, 'write', error);
    }
    return { path: finalPath, bytes: received, sha256 };
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(partPath).catch(() => {});
    throw error;
  }
}
