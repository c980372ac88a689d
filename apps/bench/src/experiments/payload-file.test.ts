import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deterministicBytes, keyPath, writeKeyCorpus } from './payload-file.js';

describe('payload files', () => {
  it('are the same bytes for the same seed and different for another', () => {
    expect(deterministicBytes(1000, 1).equals(deterministicBytes(1000, 1))).toBe(true);
    expect(deterministicBytes(1000, 1).equals(deterministicBytes(1000, 2))).toBe(false);
    expect(deterministicBytes(0, 1)).toHaveLength(0);
  });

  it('names keys as zero-padded paths under /keys/', () => {
    expect(keyPath(42)).toBe('/keys/k000042.txt');
  });

  it('writes one file per key and the probe file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lb-bench-corpus-'));
    try {
      await writeKeyCorpus(root, 300, 128);
      expect(await readdir(join(root, 'keys'))).toHaveLength(300);
      expect(await readFile(join(root, keyPath(299)), 'utf8')).toBe('key 299\n');
      expect((await readFile(join(root, 'probe.bin'))).length).toBe(128);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
