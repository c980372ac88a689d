/**
 * Files the servers serve: deterministic bytes (a seeded xorshift), so runs are repeatable and
 * nothing compresses or caches specially.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function deterministicBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

export async function writePayloadFile(path: string, size: number, seed: number): Promise<void> {
  await writeFile(path, deterministicBytes(size, seed));
}

/** The request path of key `index` (also its file under the corpus root). */
export function keyPath(index: number): string {
  return `/keys/k${String(index).padStart(6, '0')}.txt`;
}

/**
 * A directory with `count` small files under `keys/` (the hashing experiments' keys: distinct
 * paths, each a real file so every request is a 200) and `probe.bin` for the balancer's probes.
 */
export async function writeKeyCorpus(
  root: string,
  count: number,
  probeBytes: number,
): Promise<void> {
  await mkdir(join(root, 'keys'), { recursive: true });
  await writeFile(join(root, 'probe.bin'), deterministicBytes(probeBytes, 7));
  const batch = 256;
  for (let start = 0; start < count; start += batch) {
    const writes: Promise<void>[] = [];
    for (let index = start; index < Math.min(count, start + batch); index++) {
      writes.push(writeFile(join(root, keyPath(index)), `key ${index}\n`));
    }
    await Promise.all(writes);
  }
}

export const CORPUS_PROBE_PATH = '/probe.bin';
