/**
 * A RandomAccessSource (@lb/segments) over an open file that reads into a small ring of reusable
 * buffers, for hashing files in the background without turning every megabyte read into garbage.
 * (With a fresh buffer per read, hashing a 1 GiB file left ~30 MiB of dead buffers in RSS until
 * the GC caught up; see docs/benchmarks/server.md.)
 *
 * The view returned by `read` stays valid until `RING_SIZE - 1` further reads have been issued.
 * `buildFragmentMap` holds at most two (the piece being hashed and the one prefetched), so a ring
 * of four leaves room; the test beside this file checks the digests against an independent hash.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { MAX_READ_SIZE, type RandomAccessSource } from '@lb/segments';

export const RING_SIZE = 4;

export interface RingBufferFileSource extends RandomAccessSource {
  close(): Promise<void>;
}

export async function openRingBufferFileSource(path: string): Promise<RingBufferFileSource> {
  const handle: FileHandle = await open(path, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  const ring = Array.from({ length: RING_SIZE }, () => Buffer.allocUnsafeSlow(MAX_READ_SIZE));
  let next = 0;
  return {
    size,
    async read(position: number, length: number): Promise<Uint8Array> {
      if (length > MAX_READ_SIZE) throw new RangeError(`read of ${length} bytes exceeds the ring`);
      const buffer = ring[next]!;
      next = (next + 1) % RING_SIZE;
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}
