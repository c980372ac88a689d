import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Base64, sha256OfFile, sha256OfSource } from './digest.js';
import {
  buildFragmentMap,
  type FragmentMap,
  fragmentMapPath,
  parseFragmentMap,
  planForMap,
  serializeFragmentMap,
} from './fragment-map.js';
import { openFileSource, type RandomAccessSource } from './random-access-source.js';

const MiB = 1024 * 1024;
const SIZE = 5 * MiB + 12_345;
let dir: string;
let path: string;
let bytes: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-segments-map-'));
  path = join(dir, 'data.bin');
  bytes = randomBytes(SIZE);
  await writeFile(path, bytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function independentDigest(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

describe('buildFragmentMap', () => {
  it('hashes a real file: equals digests computed independently', async () => {
    const source = await openFileSource(path);
    try {
      const map = await buildFragmentMap(source, { name: 'data.bin', etag: '"v1"' });
      expect(map.size).toBe(SIZE);
      expect(map.fragmentSize).toBe(MiB);
      expect(map.fragments).toHaveLength(6);
      expect(map.sha256).toBe(independentDigest(bytes));
      for (let i = 0; i < 6; i++) {
        expect(map.fragments[i]).toBe(independentDigest(bytes.subarray(i * MiB, (i + 1) * MiB)));
      }
      expect(parseFragmentMap(serializeFragmentMap(map))).toEqual(map);
    } finally {
      await source.close();
    }
  });

  it('never reads more than 1 MiB at once, even with 4 MiB fragments', async () => {
    const file = await openFileSource(path);
    const reads: number[] = [];
    const tracking: RandomAccessSource = {
      size: file.size,
      read(position, length) {
        reads.push(length);
        return file.read(position, length);
      },
    };
    try {
      const map = await buildFragmentMap(tracking, {
        name: 'data.bin',
        etag: '"v1"',
        policy: { fragmentSize: 4 * MiB },
      });
      expect(Math.max(...reads)).toBeLessThanOrEqual(MiB);
      expect(reads.reduce((a, b) => a + b, 0)).toBe(SIZE);
      expect(map.fragments).toEqual([
        independentDigest(bytes.subarray(0, 4 * MiB)),
        independentDigest(bytes.subarray(4 * MiB)),
      ]);
    } finally {
      await file.close();
    }
  });

  it('maps an empty file to no fragments and the digest of nothing', async () => {
    const empty: RandomAccessSource = { size: 0, read: async () => new Uint8Array(0) };
    const map = await buildFragmentMap(empty, { name: 'empty', etag: '"e"' });
    expect(map.fragments).toEqual([]);
    expect(map.sha256).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(planForMap(map).count).toBe(0);
  });

  it('rejects a file that shrinks while it is read with LB_SEGMENTS_SHORT_READ', async () => {
    const shrinking: RandomAccessSource = {
      size: 3 * MiB,
      read: async (position, length) => new Uint8Array(position >= 2 * MiB ? 10 : length),
    };
    await expect(buildFragmentMap(shrinking, { name: 'f', etag: '"e"' })).rejects.toMatchObject({
      code: 'LB_SEGMENTS_SHORT_READ',
      position: 2 * MiB,
    });
  });

  it('refuses to build a map a client would reject (bad name)', async () => {
    const source: RandomAccessSource = { size: 1, read: async () => new Uint8Array(1) };
    await expect(buildFragmentMap(source, { name: '../x', etag: '"e"' })).rejects.toMatchObject({
      code: 'LB_SEGMENTS_FRAGMENT_MAP_INVALID',
      field: 'name',
    });
  });
});

describe('digests', () => {
  it('sha256OfFile and sha256OfSource agree with an independent hash', async () => {
    const source = await openFileSource(path);
    try {
      expect(await sha256OfFile(path)).toBe(independentDigest(bytes));
      expect(await sha256OfSource(source)).toBe(independentDigest(bytes));
      expect(sha256Base64(bytes.subarray(0, 10), bytes.subarray(10, 20))).toBe(
        independentDigest(bytes.subarray(0, 20)),
      );
    } finally {
      await source.close();
    }
  });
});

describe('parseFragmentMap', () => {
  const a = sha256Base64(new Uint8Array([1]));
  const b = sha256Base64(new Uint8Array([2]));
  const whole = sha256Base64(new Uint8Array([1, 2]));
  const valid = {
    version: 1,
    name: 'file.iso',
    size: 2,
    etag: '"abc"',
    sha256: whole,
    fragmentSize: 1,
    fragments: [a, b],
  };

  it('accepts a valid map, from text or bytes, ignoring unknown fields', async () => {
    const text = JSON.stringify({ ...valid, extra: 'ignored' });
    const expected: FragmentMap = valid as FragmentMap;
    expect(parseFragmentMap(text)).toEqual(expected);
    expect(parseFragmentMap(new TextEncoder().encode(text))).toEqual(expected);
    expect(parseFragmentMap(JSON.stringify({ ...valid, etag: 'W/"weak"' })).etag).toBe('W/"weak"');
  });

  const cases: [string, unknown, string][] = [
    ['not JSON', '{"version":1,', 'json'],
    ['an array', [], 'root'],
    ['null', null, 'root'],
    ['version missing', { ...valid, version: undefined }, 'version'],
    ['version a string', { ...valid, version: '1' }, 'version'],
    ['name missing', { ...valid, name: undefined }, 'name'],
    ['name empty', { ...valid, name: '' }, 'name'],
    ['name with a slash', { ...valid, name: 'a/b' }, 'name'],
    ['name with a backslash', { ...valid, name: 'a\\b' }, 'name'],
    ['name ..', { ...valid, name: '..' }, 'name'],
    ['name with NUL', { ...valid, name: 'a\u0000b' }, 'name'],
    ['size negative', { ...valid, size: -1 }, 'size'],
    ['size fractional', { ...valid, size: 1.5 }, 'size'],
    ['size a string', { ...valid, size: '2' }, 'size'],
    ['size too large', { ...valid, size: 2 ** 53 }, 'size'],
    ['etag unquoted', { ...valid, etag: 'abc' }, 'etag'],
    ['etag missing', { ...valid, etag: undefined }, 'etag'],
    ['sha256 hex', { ...valid, sha256: createHash('sha256').digest('hex') }, 'sha256'],
    ['sha256 truncated', { ...valid, sha256: whole.slice(0, 40) }, 'sha256'],
    ['sha256 of data for an empty file', { ...valid, size: 0, fragments: [] }, 'sha256'],
    ['fragmentSize zero', { ...valid, fragmentSize: 0 }, 'fragmentSize'],
    ['fragmentSize fractional', { ...valid, fragmentSize: 0.5 }, 'fragmentSize'],
    ['fragments not an array', { ...valid, fragments: 'x' }, 'fragments'],
    ['fragments too few', { ...valid, fragments: [a] }, 'fragments'],
    ['fragments too many', { ...valid, fragments: [a, b, a] }, 'fragments'],
    ['a fragment digest invalid', { ...valid, fragments: [a, 'nope'] }, 'fragments[1]'],
    ['a fragment digest a number', { ...valid, fragments: [7, b] }, 'fragments[0]'],
    [
      'single fragment disagreeing with the file digest',
      { ...valid, fragmentSize: 2, fragments: [a] },
      'fragments[0]',
    ],
  ];
  it.each(cases)('rejects %s with LB_SEGMENTS_FRAGMENT_MAP_INVALID', (_label, value, field) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    expect(() => parseFragmentMap(text)).toThrow(
      expect.objectContaining({ code: 'LB_SEGMENTS_FRAGMENT_MAP_INVALID', field }),
    );
  });

  it('rejects invalid UTF-8 with LB_SEGMENTS_FRAGMENT_MAP_INVALID', () => {
    expect(() => parseFragmentMap(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(
      expect.objectContaining({ code: 'LB_SEGMENTS_FRAGMENT_MAP_INVALID', field: 'json' }),
    );
  });

  it('rejects another version with LB_SEGMENTS_FRAGMENT_MAP_VERSION', () => {
    expect(() => parseFragmentMap(JSON.stringify({ ...valid, version: 2 }))).toThrow(
      expect.objectContaining({ code: 'LB_SEGMENTS_FRAGMENT_MAP_VERSION', version: 2 }),
    );
  });

  it('gives the client the server plan, whatever its own defaults', () => {
    const size = 20_000 * MiB;
    const map: FragmentMap = {
      ...valid,
      size,
      fragmentSize: MiB,
      fragments: new Array(20_000).fill(a),
    } as FragmentMap;
    // The default policy would grow the fragments to keep at most 10 000 of them; planForMap does not.
    expect(planForMap(parseFragmentMap(serializeFragmentMap(map)))).toMatchObject({
      fragmentSize: MiB,
      count: 20_000,
    });
  });
});

describe('fragmentMapPath', () => {
  it('puts the map under the reserved prefix', () => {
    expect(fragmentMapPath('/pub/file.iso')).toBe('/.lb/fragment-map/pub/file.iso');
    expect(fragmentMapPath('file.iso')).toBe('/.lb/fragment-map/file.iso');
  });
});

describe('openFileSource', () => {
  it('returns a short read at the end of the file', async () => {
    const source = await openFileSource(path);
    try {
      expect((await source.read(SIZE - 5, 100)).byteLength).toBe(5);
      expect(Buffer.from(await source.read(100, 50))).toEqual(bytes.subarray(100, 150));
    } finally {
      await source.close();
    }
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });
});
