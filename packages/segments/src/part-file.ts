import { type FileHandle, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError, PartFileClosedError, PartFileSizeError } from './errors.js';
import { syncDirectory } from './manifest-store.js';
import type { RandomAccessSource } from './random-access-source.js';

/** Where the data of a download to `finalPath` accumulates: `<finalPath>.part`. */
export function partPathFor(finalPath: string): string {
  return `${finalPath}.part`;
}

/** Writes all of `data` at `position`, looping over the partial writes a positional write may make. */
export async function writeFully(
  handle: FileHandle,
  data: Uint8Array,
  position: number,
): Promise<void> {
  let written = 0;
  while (written < data.byteLength) {
    const { bytesWritten } = await handle.write(
      data,
      written,
      data.byteLength - written,
      position + written,
    );
    written += bytesWritten;
  }
}

export interface PartFileOptions {
  /** Start over: truncate an existing `.part` file instead of resuming it (default false). */
  fresh?: boolean;
  /** Override `<finalPath>.part`. */
  partPath?: string;
}

/**
 * The `.part` file of a download: created at its final size (ftruncate, so every fragment has its
 * place from the start and the file may be sparse), written at explicit positions (never in append
 * mode: fragments arrive out of order and from several sources), renamed to the final name when
 * complete. Also a RandomAccessSource, so `sha256OfSource(part)` checks the whole file.
 */
export class PartFile implements RandomAccessSource {
  readonly path: string;
  readonly finalPath: string;
  readonly size: number;
  /** True when `open` created (or truncated) the file, false when it resumed an existing one. */
  readonly created: boolean;
  #handle: FileHandle | undefined;

  private constructor(
    path: string,
    finalPath: string,
    size: number,
    created: boolean,
    handle: FileHandle,
  ) {
    this.path = path;
    this.finalPath = finalPath;
    this.size = size;
    this.created = created;
    this.#handle = handle;
  }

  /**
   * Opens `<finalPath>.part` for a file of `size` bytes: resumes an existing one, or creates it.
   *
   * @throws PartFileSizeError (`LB_SEGMENTS_PART_FILE_SIZE`) when an existing `.part` file has another
   *   size (it is left untouched; pass `fresh: true` to start over), InvalidArgumentError for a bad
   *   size.
   */
  static async open(
    finalPath: string,
    size: number,
    options: PartFileOptions = {},
  ): Promise<PartFile> {
    if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError('size', size);
    const path = options.partPath ?? partPathFor(finalPath);
    if (!options.fresh) {
      const existing = await open(path, 'r+').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (existing) {
        const actual = (await existing.stat()).size;
        if (actual !== size) {
          await existing.close();
          throw new PartFileSizeError(path, size, actual);
        }
        return new PartFile(path, finalPath, size, false, existing);
      }
    }
    const handle = await open(path, 'w+', 0o644);
    try {
      await handle.truncate(size);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new PartFile(path, finalPath, size, true, handle);
  }

  /**
   * Writes `data` at `position` (positional: `write(fd, buf, 0, len, position)`), looping over
   * partial writes. @throws InvalidArgumentError when the range leaves [0, size).
   */
  async write(position: number, data: Uint8Array): Promise<void> {
    this.#checkRange(position, data.byteLength);
    await writeFully(this.#open(), data, position);
  }

  /** Reads `length` bytes at `position` (to re-verify a fragment on resume). */
  async readRange(position: number, length: number): Promise<Uint8Array> {
    this.#checkRange(position, length);
    const handle = this.#open();
    const buffer = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === length ? buffer : buffer.subarray(0, filled);
  }

  /** RandomAccessSource's read: the same as `readRange`. */
  read(position: number, length: number): Promise<Uint8Array> {
    return this.readRange(position, length);
  }

  /** fsync: call before saving a manifest that marks newly written fragments done. */
  async sync(): Promise<void> {
    await this.#open().sync();
  }

  /** Closes without renaming (pausing, or giving up); the `.part` file stays for a resume. */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  /**
   * fsyncs, closes and renames `.part` to the final name (replacing a file there), then fsyncs the
   * directory. Check the whole-file digest before. Returns the final path.
   */
  async finalize(): Promise<string> {
    const handle = this.#open();
    await handle.sync();
    await this.close();
    await rename(this.path, this.finalPath);
    await syncDirectory(dirname(this.finalPath));
    return this.finalPath;
  }

  #open(): FileHandle {
    if (!this.#handle) throw new PartFileClosedError(this.path);
    return this.#handle;
  }

  #checkRange(position: number, length: number): void {
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new InvalidArgumentError('position', position);
    }
    if (!Number.isSafeInteger(length) || length < 0 || position + length > this.size) {
      throw new InvalidArgumentError(
        'length',
        length,
        `Range ${position}+${length} is outside the ${this.size}-byte file`,
      );
    }
  }
}
