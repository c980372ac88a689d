import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB, SYNTHETIC_NOTE, sampleVideoHeader, writeSampleVideo } from './sample-video.js';
import { sha256OfFile } from './sha256-file.js';

/** The top-level MP4 boxes of a file: [type, size] in order. */
function topLevelBoxes(bytes: Buffer): Array<[string, number]> {
  const boxes: Array<[string, number]> = [];
  for (let at = 0; at < bytes.length; ) {
    const size = bytes.readUInt32BE(at);
    boxes.push([bytes.toString('latin1', at + 4, at + 8), size]);
    at += size;
  }
  return boxes;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-demo-sample-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeSampleVideo', () => {
  it('writes exactly the size asked for, and reports its SHA-256', async () => {
    const sample = await writeSampleVideo(join(dir, 'a.mp4'), 5 * MIB + 3);
    const bytes = await readFile(sample.path);
    expect(bytes.length).toBe(5 * MIB + 3);
    expect(sample.size).toBe(5 * MIB + 3);
    expect(sample.sha256).toBe(await sha256OfFile(sample.path));
    expect(sample.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('starts with an ftyp box (isom), then free (saying it is synthetic), then mdat to the end', async () => {
    const sample = await writeSampleVideo(join(dir, 'b.mp4'), MIB);
    const bytes = await readFile(sample.path);
    expect(bytes.subarray(0, 12).toString('latin1')).toBe('\0\0\0 ftypisom');
    const boxes = topLevelBoxes(bytes);
    expect(boxes.map(([type]) => type)).toEqual(['ftyp', 'free', 'mdat']);
    expect(boxes.reduce((sum, [, size]) => sum + size, 0)).toBe(MIB);
    expect(bytes.toString('latin1')).toContain(SYNTHETIC_NOTE);
  });

  it('is deterministic: the same size gives the same file', async () => {
    const first = await writeSampleVideo(join(dir, 'c1.mp4'), 2 * MIB + 17);
    const second = await writeSampleVideo(join(dir, 'c2.mp4'), 2 * MIB + 17);
    expect(second.sha256).toBe(first.sha256);
  });

  it('fills the mdat box with bytes that do not compress (every byte value about equally often)', async () => {
    const sample = await writeSampleVideo(join(dir, 'd.mp4'), MIB);
    const bytes = await readFile(sample.path);
    const counts = new Array<number>(256).fill(0);
    for (const byte of bytes.subarray(sampleVideoHeader(MIB).length)) counts[byte]! += 1;
    const expected = bytes.length / 256;
    expect(Math.min(...counts)).toBeGreaterThan(expected * 0.8);
    expect(Math.max(...counts)).toBeLessThan(expected * 1.2);
  });

  it('refuses a size too small to hold its boxes, and writes nothing', async () => {
    expect(() => sampleVideoHeader(40)).toThrow(/a sample video needs at least \d+ bytes, got 40/);
    await expect(writeSampleVideo(join(dir, 'tiny.mp4'), 40)).rejects.toThrow(RangeError);
    await expect(readFile(join(dir, 'tiny.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
