import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFragmentMap, MAX_READ_SIZE, planForMap } from '@lb/segments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRingBufferFileSource } from './ring-buffer-file-source.js';

let dir: string;
let data: Buffer;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-ring-'));
  // Several fragments of several pieces each, and a short tail.
  data = randomBytes(5 * MAX_READ_SIZE + 12345);
  path = join(dir, 'data.bin');
  await writeFile(path, data);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openRingBufferFileSource', () => {
  it('gives buildFragmentMap exactly the digests of an independent hash', async () => {
    const source = await openRingBufferFileSource(path);
    try {
      const map = await buildFragmentMap(source, {
        name: 'data.bin',
        etag: '"x"',
        policy: { fragmentSize: 2 * MAX_READ_SIZE },
      });
      expect(map.sha256).toBe(createHash('sha256').update(data).digest('base64'));
      for (const fragment of planForMap(map).fragments) {
        expect(map.fragments[fragment.index]).toBe(
          createHash('sha256')
            .update(data.subarray(fragment.start, fragment.end + 1))
            .digest('base64'),
        );
      }
    } finally {
      await source.close();
    }
  });

  it('returns short reads at the end of the file', async () => {
    const source = await openRingBufferFileSource(path);
    try {
      expect(source.size).toBe(data.length);
      const tail = await source.read(data.length - 10, 100);
      expect(Buffer.from(tail).equals(data.subarray(data.length - 10))).toBe(true);
    } finally {
      await source.close();
    }
  });
});
