import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Base64, sha256OfFile, sha256OfSource } from './digest.js';
import { PartFile, partPathFor } from './part-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-segments-part-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PartFile', () => {
  it('creates <name>.part at its full size', async () => {
    const finalPath = join(dir, 'file.iso');
    const part = await PartFile.open(finalPath, 3_000_000);
    try {
      expect(part.path).toBe(partPathFor(finalPath));
      expect(part.path).toBe(`${finalPath}.part`);
      expect(part.created).toBe(true);
      expect((await stat(part.path)).size).toBe(3_000_000);
    } finally {
      await part.close();
    }
  });

  it('writes fragments out of order at their positions', async () => {
    const data = randomBytes(10_000);
    const part = await PartFile.open(join(dir, 'f'), data.length);
    for (const [start, end] of [
      [7000, 10_000],
      [0, 2500],
      [5000, 7000],
      [2500, 5000],
    ] as const) {
      await part.write(start, data.subarray(start, end));
    }
    expect(Buffer.from(await part.readRange(2400, 200)).equals(data.subarray(2400, 2600))).toBe(
      true,
    );
    expect(await sha256OfSource(part)).toBe(sha256Base64(data));
    await part.close();
    expect((await readFile(join(dir, 'f.part'))).equals(data)).toBe(true);
  });

  it('resumes an existing .part file without touching its data', async () => {
    const finalPath = join(dir, 'f');
    const first = await PartFile.open(finalPath, 100);
    await first.write(10, new Uint8Array([1, 2, 3]));
    await first.sync();
    await first.close();
    const again = await PartFile.open(finalPath, 100);
    expect(again.created).toBe(false);
    expect([...(await again.readRange(10, 3))]).toEqual([1, 2, 3]);
    await again.close();
  });

  it('starts over with fresh: true', async () => {
    const finalPath = join(dir, 'f');
    await writeFile(partPathFor(finalPath), 'old contents of another size');
    const part = await PartFile.open(finalPath, 50, { fresh: true });
    expect(part.created).toBe(true);
    expect([...(await part.readRange(0, 3))]).toEqual([0, 0, 0]);
    await part.close();
    expect((await stat(part.path)).size).toBe(50);
  });

  it('rejects an existing .part of another size with LB_SEGMENTS_PART_FILE_SIZE and leaves it', async () => {
    const finalPath = join(dir, 'f');
    await writeFile(partPathFor(finalPath), 'twelve bytes');
    await expect(PartFile.open(finalPath, 100)).rejects.toMatchObject({
      code: 'LB_SEGMENTS_PART_FILE_SIZE',
      expected: 100,
      actual: 12,
    });
    expect(await readFile(partPathFor(finalPath), 'utf8')).toBe('twelve bytes');
  });

  it('rejects writes and reads outside the file with LB_SEGMENTS_INVALID_ARGUMENT, writing nothing', async () => {
    const part = await PartFile.open(join(dir, 'f'), 10);
    await expect(part.write(8, new Uint8Array(3).fill(9))).rejects.toMatchObject({
      code: 'LB_SEGMENTS_INVALID_ARGUMENT',
      argument: 'length',
    });
    await expect(part.write(-1, new Uint8Array(1))).rejects.toMatchObject({
      code: 'LB_SEGMENTS_INVALID_ARGUMENT',
      argument: 'position',
    });
    await expect(part.readRange(5, 6)).rejects.toMatchObject({
      code: 'LB_SEGMENTS_INVALID_ARGUMENT',
    });
    expect([...(await part.readRange(0, 10))]).toEqual(new Array(10).fill(0));
    await part.close();
    expect((await stat(part.path)).size).toBe(10);
  });

  it('rejects a bad size with LB_SEGMENTS_INVALID_ARGUMENT and creates nothing', async () => {
    await expect(PartFile.open(join(dir, 'f'), -1)).rejects.toMatchObject({
      code: 'LB_SEGMENTS_INVALID_ARGUMENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('finalize() renames to the final name, after which the file is closed', async () => {
    const finalPath = join(dir, 'file.iso');
    const data = randomBytes(4096);
    const part = await PartFile.open(finalPath, data.length);
    await part.write(0, data);
    expect(await part.finalize()).toBe(finalPath);
    expect(await readdir(dir)).toEqual(['file.iso']);
    expect(await sha256OfFile(finalPath)).toBe(sha256Base64(data));
    await expect(part.write(0, new Uint8Array(1))).rejects.toMatchObject({
      code: 'LB_SEGMENTS_PART_FILE_CLOSED',
    });
  });

  it('handles an empty file', async () => {
    const part = await PartFile.open(join(dir, 'empty'), 0);
    expect(await sha256OfSource(part)).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    await part.finalize();
    expect((await stat(join(dir, 'empty'))).size).toBe(0);
  });
});
