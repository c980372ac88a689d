import { open } from 'node:fs/promises';
import { ShortReadError } from './errors.js';

/**
 * Bytes addressable by position: a file on disk, a `.part` file, or an in-memory buffer in tests.
 * `read` may return fewer bytes than asked only at the end of the data.
 */
export interface RandomAccessSource {
  readonly size: number;
  read(position: number, length: number): Promise<Uint8Array>;
}

/** A RandomAccessSource backed by an open file descriptor; close it when done. */
export interface FileSource extends RandomAccessSource {
  readonly path: string;
  close(): Promise<void>;
}

/** Largest single read: bounds memory when hashing or serving files of any size. */
export const MAX_READ_SIZE = 1024 * 1024;

/** Opens `path` read-only; `size` is taken once, at open (the file must not change meanwhile). */
export async function openFileSource(path: string): Promise<FileSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return {
      path,
      size,
      async read(position, length) {
        const buffer = new Uint8Array(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(
            buffer,
            filled,
            length - filled,
            position + filled,
          );
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === length ? buffer : buffer.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads exactly `length` bytes or throws ShortReadError (`LB_SEGMENTS_SHORT_READ`): the data shrank. */
export async function readExactly(
  source: RandomAccessSource,
  position: number,
  length: number,
): Promise<Uint8Array> {
  const data = await source.read(position, length);
  if (data.byteLength !== length) throw new ShortReadError(position, length, data.byteLength);
  return data;
}
