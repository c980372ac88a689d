import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { sha256Base64 } from './digest.js';
import { ManifestMismatchError, ManifestUnverifiableError } from './errors.js';
import type { FragmentMap } from './fragment-map.js';
import { isStrongEtag, Manifest, manifestPathFor } from './manifest.js';
import type { ManifestIO } from './manifest-store.js';
import { PartFile } from './part-file.js';

const SHA = sha256Base64(new TextEncoder().encode('the file'));
const OTHER_SHA = sha256Base64(new TextEncoder().encode('another file'));
const FILE = { name: 'file.iso', size: 10_000, etag: '"v1"', sha256: SHA };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-segments-manifest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(): Manifest {
  const manifest = Manifest.create({
    file: { ...FILE, lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT' },
    fragmentSize: 1000,
    sources: ['http://a.example/file.iso', 'http://b.example/file.iso'],
  });
  for (const i of [0, 3, 9]) manifest.markDone(i);
  return manifest;
}

/** The on-disk JSON with a valid checksum, after `edit` changed the body. */
function resealed(edit: (body: Record<string, unknown>) => void): string {
  const body = JSON.parse(sample().serialize(new Date(0))) as Record<string, unknown>;
  delete body['checksum'];
  edit(body);
  const checksum = createHash('sha256').update(canonicalJson(body)).digest('base64');
  return JSON.stringify({ ...body, checksum });
}

describe('Manifest round trip', () => {
  it('saves and loads every field', async () => {
    const path = manifestPathFor(join(dir, 'file.iso'));
    expect(path).toBe(join(dir, 'file.iso.lb-manifest.json'));
    const manifest = sample();
    const now = new Date('2025-07-01T12:00:00.000Z');
    await manifest.save(path, undefined, now);
    expect(manifest.updatedAt).toBe('2025-07-01T12:00:00.000Z');

    const loaded = (await Manifest.load(path))!;
    expect(loaded.file).toEqual({ ...FILE, lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT' });
    expect(loaded.fragmentSize).toBe(1000);
    expect(loaded.count).toBe(10);
    expect(loaded.sources).toEqual(manifest.sources);
    expect(loaded.doneFragments()).toEqual([0, 3, 9]);
    expect(loaded.doneCount).toBe(3);
    expect(loaded.updatedAt).toBe('2025-07-01T12:00:00.000Z');
    expect(loaded.plan().count).toBe(10);

    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(onDisk).toMatchObject({ version: 1, fragmentSize: 1000, done: 'kEA=' });
    expect(typeof onDisk.checksum).toBe('string');
    // Nothing but the target is left in the directory.
    expect(await readdir(dir)).toEqual(['file.iso.lb-manifest.json']);
  });

  it('keeps the bitmap small for 100 000 fragments', async () => {
    const manifest = Manifest.create({
      file: { ...FILE, size: 100_000 * 1024 },
      fragmentSize: 1024,
      done: [0, 99_999],
    });
    const path = join(dir, 'big.json');
    await manifest.save(path);
    const done: string = JSON.parse(await readFile(path, 'utf8')).done;
    expect(done.length).toBe(16_668);
    expect((await Manifest.load(path))!.doneFragments()).toEqual([0, 99_999]);
  });

  it('returns null for a missing manifest', async () => {
    expect(await Manifest.load(join(dir, 'nope.json'))).toBeNull();
  });

  it('starts from a fragment map', () => {
    const map: FragmentMap = {
      version: 1,
      name: 'file.iso',
      size: 3,
      etag: '"m"',
      sha256: SHA,
      fragmentSize: 2,
      fragments: [SHA, OTHER_SHA],
    };
    const manifest = Manifest.fromMap(map, { sources: ['http://a/'] });
    expect(manifest.file).toEqual({ name: 'file.iso', size: 3, etag: '"m"', sha256: SHA });
    expect(manifest.count).toBe(2);
    expect(() => manifest.assertMatches(map)).not.toThrow();
  });

  it('works through an injected ManifestIO, without a disk', async () => {
    const files = new Map<string, Uint8Array>();
    const io: ManifestIO = {
      readFile: async (p) => files.get(p) ?? null,
      writeFileAtomic: async (p, data) => {
        files.set(p, data);
      },
      removeFile: async (p) => {
        files.delete(p);
      },
    };
    await sample().save('/virtual/m.json', io);
    expect((await Manifest.load('/virtual/m.json', io))!.doneFragments()).toEqual([0, 3, 9]);
    await Manifest.remove('/virtual/m.json', io);
    expect(await Manifest.load('/virtual/m.json', io)).toBeNull();
  });

  it('leaves the previous file and updatedAt alone when a save fails', async () => {
    const failing: ManifestIO = {
      readFile: async () => null,
      writeFileAtomic: async () => {
        throw new Error('ENOSPC');
      },
      removeFile: async () => {},
    };
    const path = join(dir, 'm.json');
    const manifest = sample();
    await manifest.save(path, undefined, new Date(1000));
    const before = await readFile(path);
    manifest.markDone(5);
    await expect(manifest.save(path, failing, new Date(2000))).rejects.toThrow('ENOSPC');
    expect(manifest.updatedAt).toBe(new Date(1000).toISOString());
    expect((await readFile(path)).equals(before)).toBe(true);
  });

  it('removes a manifest, and ignores one already gone', async () => {
    const path = join(dir, 'm.json');
    await sample().save(path);
    await Manifest.remove(path);
    await Manifest.remove(path);
    expect(await Manifest.load(path)).toBeNull();
  });
});

describe('Manifest.load on bad files', () => {
  const data = new Uint8Array(10_000).map((_, i) => (i * 31) & 0xff);
  let partPath: string;
  let manifestPath: string;

  beforeEach(async () => {
    manifestPath = join(dir, 'file.iso.lb-manifest.json');
    const part = await PartFile.open(join(dir, 'file.iso'), data.length);
    await part.write(0, data);
    await part.close();
    partPath = part.path;
  });

  async function expectRejected(text: string | Uint8Array, expected: Record<string, unknown>) {
    await writeFile(manifestPath, text);
    await expect(Manifest.load(manifestPath)).rejects.toMatchObject(expected);
    // Nothing was lost: the manifest stays for inspection and the .part data is untouched.
    expect((await readFile(manifestPath)).equals(Buffer.from(text))).toBe(true);
    expect((await readFile(partPath)).equals(Buffer.from(data))).toBe(true);
  }

  it('rejects text that is not JSON with LB_SEGMENTS_MANIFEST_CORRUPT (json)', async () => {
    await expectRejected('not json at all', {
      code: 'LB_SEGMENTS_MANIFEST_CORRUPT',
      reason: 'json',
    });
    await expectRejected('', { code: 'LB_SEGMENTS_MANIFEST_CORRUPT', reason: 'json' });
    await expectRejected(new Uint8Array([0x7b, 0xfe, 0x7d]), {
      code: 'LB_SEGMENTS_MANIFEST_CORRUPT',
      reason: 'json',
    });
  });

  it('rejects a truncated file with LB_SEGMENTS_MANIFEST_CORRUPT', async () => {
    const text = sample().serialize();
    for (const cut of [1, 20, text.length >> 1, text.length - 3]) {
      await expectRejected(text.slice(0, cut), {
        code: 'LB_SEGMENTS_MANIFEST_CORRUPT',
        reason: 'json',
      });
    }
  });

  it('rejects an edited body (checksum mismatch) with LB_SEGMENTS_MANIFEST_CORRUPT (checksum)', async () => {
    const onDisk = JSON.parse(sample().serialize());
    await expectRejected(JSON.stringify({ ...onDisk, done: 'kEE=' }), {
      code: 'LB_SEGMENTS_MANIFEST_CORRUPT',
      reason: 'checksum',
    });
    await expectRejected(JSON.stringify({ ...onDisk, checksum: undefined }), {
      code: 'LB_SEGMENTS_MANIFEST_CORRUPT',
      reason: 'checksum',
    });
    await expectRejected(JSON.stringify({ ...onDisk, checksum: OTHER_SHA }), {
      code: 'LB_SEGMENTS_MANIFEST_CORRUPT',
      reason: 'checksum',
    });
  });

  it('rejects another version with LB_SEGMENTS_MANIFEST_VERSION', async () => {
    await expectRejected(
      resealed((body) => {
        body['version'] = 2;
      }),
      { code: 'LB_SEGMENTS_MANIFEST_VERSION', version: 2, path: manifestPath },
    );
  });

  it.each([
    ['root', (b: Record<string, unknown>) => Object.assign(b, { version: 1 }), '[]'],
    ['version', (b: Record<string, unknown>) => delete b['version']],
    ['file', (b: Record<string, unknown>) => delete b['file']],
    [
      'file.name',
      (b: Record<string, unknown>) => delete (b['file'] as Record<string, unknown>)['name'],
    ],
    ['file.size', (b: Record<string, unknown>) => Object.assign(b['file'] as object, { size: -1 })],
    ['file.etag', (b: Record<string, unknown>) => Object.assign(b['file'] as object, { etag: 5 })],
    [
      'file.sha256',
      (b: Record<string, unknown>) => Object.assign(b['file'] as object, { sha256: 'x' }),
    ],
    [
      'file.lastModified',
      (b: Record<string, unknown>) => Object.assign(b['file'] as object, { lastModified: 1 }),
    ],
    ['fragmentSize', (b: Record<string, unknown>) => delete b['fragmentSize']],
    ['sources', (b: Record<string, unknown>) => delete b['sources']],
    ['sources[1]', (b: Record<string, unknown>) => Object.assign(b, { sources: ['a', 7] })],
    ['done', (b: Record<string, unknown>) => delete b['done']],
    ['done', (b: Record<string, unknown>) => Object.assign(b, { done: 'kEA' })],
    ['done', (b: Record<string, unknown>) => Object.assign(b, { done: 'kEAA' })],
    ['done', (b: Record<string, unknown>) => Object.assign(b, { done: 'kEE=' })],
    ['updatedAt', (b: Record<string, unknown>) => delete b['updatedAt']],
    ['updatedAt', (b: Record<string, unknown>) => Object.assign(b, { updatedAt: 'yesterday' })],
  ] as const)(
    'rejects a bad %s with LB_SEGMENTS_MANIFEST_CORRUPT (schema)',
    async (field, edit, raw?: string) => {
      const text = raw ?? resealed(edit);
      await expectRejected(text, { code: 'LB_SEGMENTS_MANIFEST_CORRUPT', reason: 'schema', field });
    },
  );
});

describe('Manifest.assertMatches', () => {
  const manifest = Manifest.create({ file: FILE, fragmentSize: 1000 });

  it('accepts the same file, even with another mirror etag when the digests agree', () => {
    expect(() => manifest.assertMatches({ ...FILE, fragmentSize: 1000 })).not.toThrow();
    expect(() =>
      manifest.assertMatches({ size: FILE.size, etag: '"other"', sha256: SHA }),
    ).not.toThrow();
  });

  it.each([
    [
      'size',
      { size: 10_001, etag: '"v1"', sha256: SHA },
      [{ field: 'size', expected: 10_000, actual: 10_001 }],
    ],
    [
      'sha256',
      { size: 10_000, etag: '"v1"', sha256: OTHER_SHA },
      [{ field: 'sha256', expected: SHA, actual: OTHER_SHA }],
    ],
    [
      'etag without a digest',
      { size: 10_000, etag: '"v2"' },
      [{ field: 'etag', expected: '"v1"', actual: '"v2"' }],
    ],
    [
      'fragmentSize',
      { size: 10_000, sha256: SHA, fragmentSize: 2000 },
      [{ field: 'fragmentSize', expected: 1000, actual: 2000 }],
    ],
    [
      'everything',
      { size: 1, etag: '"v2"', sha256: OTHER_SHA },
      [
        { field: 'size', expected: 10_000, actual: 1 },
        { field: 'sha256', expected: SHA, actual: OTHER_SHA },
      ],
    ],
  ] as const)(
    'rejects a changed %s with LB_SEGMENTS_MANIFEST_MISMATCH',
    (_label, remote, differences) => {
      let error: unknown;
      try {
        manifest.assertMatches(remote);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ManifestMismatchError);
      expect(error).toMatchObject({ code: 'LB_SEGMENTS_MANIFEST_MISMATCH', differences });
    },
  );
});

describe('Manifest without a digest (file.sha256: null)', () => {
  const NO_DIGEST = { name: 'file.iso', size: 10_000, etag: '"5f3a-2710"', sha256: null };
  const manifest = Manifest.create({ file: NO_DIGEST, fragmentSize: 1000, done: [0, 3] });

  it('round-trips with sha256 null, still as version 1', () => {
    const text = manifest.serialize(new Date('2026-01-02T03:04:05.000Z'));
    const raw = JSON.parse(text) as Record<string, unknown>;
    expect(raw['version']).toBe(1);
    expect((raw['file'] as Record<string, unknown>)['sha256']).toBeNull();
    const back = Manifest.parse(text);
    expect(back.file).toEqual(NO_DIGEST);
    expect(back.doneFragments()).toEqual([0, 3]);
  });

  it('a version 1 manifest with a digest still loads identically', () => {
    const withDigest = Manifest.create({ file: FILE, fragmentSize: 1000, done: [1] });
    const back = Manifest.parse(withDigest.serialize());
    expect(back.file).toEqual(FILE);
    expect(back.file.sha256).toBe(SHA);
  });

  it('rejects a missing sha256 field on disk (null must be explicit): LB_SEGMENTS_MANIFEST_CORRUPT', () => {
    const raw = JSON.parse(manifest.serialize()) as Record<string, unknown>;
    delete (raw['file'] as Record<string, unknown>)['sha256'];
    delete raw['checksum'];
    const checksum = createHash('sha256').update(canonicalJson(raw)).digest('base64');
    expect(() => Manifest.parse(JSON.stringify({ ...raw, checksum }))).toThrow(
      expect.objectContaining({
        code: 'LB_SEGMENTS_MANIFEST_CORRUPT',
        reason: 'schema',
        field: 'file.sha256',
      }),
    );
  });

  function thrown(m: Manifest, remote: Parameters<Manifest['assertMatches']>[0]): unknown {
    try {
      m.assertMatches(remote);
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it('accepts the same size and the same strong ETag', () => {
    expect(thrown(manifest, { size: 10_000, etag: '"5f3a-2710"', fragmentSize: 1000 })).toBe(
      undefined,
    );
  });

  it('a different strong ETag: LB_SEGMENTS_MANIFEST_MISMATCH', () => {
    const error = thrown(manifest, { size: 10_000, etag: '"5f3b-2710"' });
    expect(error).toBeInstanceOf(ManifestMismatchError);
    expect(error).toMatchObject({
      code: 'LB_SEGMENTS_MANIFEST_MISMATCH',
      differences: [{ field: 'etag', expected: '"5f3a-2710"', actual: '"5f3b-2710"' }],
    });
  });

  it.each([
    ['a weak remote ETag', { size: 10_000, etag: 'W/"5f3a-2710"' }, 'remote', 'weak-etag'],
    ['no remote ETag', { size: 10_000 }, 'remote', 'missing-etag'],
    ['an empty remote ETag', { size: 10_000, etag: '' }, 'remote', 'missing-etag'],
    [
      'a remote digest but none recorded, and a weak ETag',
      { size: 10_000, etag: 'W/"x"', sha256: SHA },
      'remote',
      'weak-etag',
    ],
  ] as const)('%s: LB_SEGMENTS_MANIFEST_UNVERIFIABLE', (_label, remote, side, reason) => {
    const error = thrown(manifest, remote);
    expect(error).toBeInstanceOf(ManifestUnverifiableError);
    expect(error).toMatchObject({ code: 'LB_SEGMENTS_MANIFEST_UNVERIFIABLE', side, reason });
  });

  it('a manifest recording a weak or no ETag and no digest can never be trusted', () => {
    for (const [etag, reason] of [
      ['W/"v1"', 'weak-etag'],
      ['', 'missing-etag'],
    ] as const) {
      const m = Manifest.create({ file: { ...NO_DIGEST, etag }, fragmentSize: 1000 });
      expect(thrown(m, { size: 10_000, etag })).toMatchObject({
        code: 'LB_SEGMENTS_MANIFEST_UNVERIFIABLE',
        side: 'manifest',
        reason,
      });
      // Even a remote digest cannot help: there is none recorded to compare it with.
      expect(thrown(m, { size: 10_000, etag: '"v1"', sha256: SHA })).toMatchObject({
        code: 'LB_SEGMENTS_MANIFEST_UNVERIFIABLE',
        side: 'manifest',
      });
    }
  });

  it('a size difference is reported as a mismatch even when the ETag is weak', () => {
    expect(thrown(manifest, { size: 9_999, etag: 'W/"x"' })).toMatchObject({
      code: 'LB_SEGMENTS_MANIFEST_MISMATCH',
      differences: [{ field: 'size', expected: 10_000, actual: 9_999 }],
    });
  });

  it('with a digest recorded but none remote, the strong ETag decides', () => {
    const m = Manifest.create({ file: FILE, fragmentSize: 1000 });
    expect(thrown(m, { size: 10_000, etag: '"v1"' })).toBe(undefined);
    expect(thrown(m, { size: 10_000 })).toMatchObject({
      code: 'LB_SEGMENTS_MANIFEST_UNVERIFIABLE',
      side: 'remote',
      reason: 'missing-etag',
    });
    // Matching digests still win over differing (even weak) ETags.
    expect(thrown(m, { size: 10_000, etag: 'W/"other"', sha256: SHA })).toBe(undefined);
  });
});

describe('isStrongEtag', () => {
  it.each([
    ['"abc"', true],
    ['""', true],
    ['W/"abc"', false],
    ['abc', false],
    ['', false],
    [undefined, false],
  ] as const)('%s → %s', (etag, strong) => {
    expect(isStrongEtag(etag)).toBe(strong);
  });
});

describe('Manifest bad arguments', () => {
  it.each([
    ['file.name', { file: { ...FILE, name: '' }, fragmentSize: 1 }],
    ['file.size', { file: { ...FILE, size: -5 }, fragmentSize: 1 }],
    ['file.sha256', { file: { ...FILE, sha256: 'abc' }, fragmentSize: 1 }],
    ['fragmentSize', { file: FILE, fragmentSize: 0 }],
    ['sources[0]', { file: FILE, fragmentSize: 1, sources: [3] }],
    ['done', { file: FILE, fragmentSize: 1000, done: [10] }],
  ])('create() rejects a bad %s with LB_SEGMENTS_INVALID_ARGUMENT', (argument, init) => {
    expect(() => Manifest.create(init as never)).toThrow(
      expect.objectContaining({ code: 'LB_SEGMENTS_INVALID_ARGUMENT', argument }),
    );
  });

  it('markDone() rejects an index outside the plan and changes nothing', () => {
    const manifest = sample();
    for (const index of [-1, 10, 2.5]) {
      expect(() => manifest.markDone(index)).toThrow(
        expect.objectContaining({ code: 'LB_SEGMENTS_INVALID_ARGUMENT', argument: 'index' }),
      );
    }
    expect(manifest.doneFragments()).toEqual([0, 3, 9]);
  });
});

describe('Manifest atomic save under SIGKILL', () => {
  const child = fileURLToPath(new URL('../test/fixtures/save-manifest-loop.ts', import.meta.url));
  const TRIALS = 30;

  /** One trial: a child saves generations in a loop; kill it after `delayMs` past its first save. */
  function trial(path: string, delayMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const proc = fork(child, [path], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let acknowledged = 0;
      let stderr = '';
      proc.stderr?.on('data', (chunk) => {
        stderr += chunk;
      });
      proc.on('message', (generation) => {
        if (acknowledged === 0) setTimeout(() => proc.kill('SIGKILL'), delayMs);
        acknowledged = generation as number;
      });
      proc.on('error', reject);
      proc.on('exit', (_code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited on its own: ${stderr}`));
        else resolve(acknowledged);
      });
    });
  }

  it('always leaves a whole version, never a torn file', async () => {
    // Deterministic spread of kill moments, 0 to ~29 ms after the first save.
    const delays = Array.from({ length: TRIALS }, (_, i) => (i * 7) % 30);
    const results: { generation: number; acknowledged: number }[] = [];
    const BATCH = 5; // children start in parallel: tsx start-up dominates a trial
    for (let batch = 0; batch < TRIALS; batch += BATCH) {
      await Promise.all(
        delays.slice(batch, batch + BATCH).map(async (delay, j) => {
          const trialDir = join(dir, `trial-${batch + j}`);
          await mkdir(trialDir);
          const path = join(trialDir, 'big.iso.lb-manifest.json');
          const acknowledged = await trial(path, delay);
          const loaded = await Manifest.load(path); // throws if torn
          expect(loaded).not.toBeNull();
          const generation = Number(loaded!.sources[0]!.slice('gen-'.length));
          // A whole version: its sources and its bitmap belong to the same generation...
          expect(loaded!.doneCount).toBe(generation);
          // ...and no older than the last save the child reported as finished.
          expect(generation).toBeGreaterThanOrEqual(acknowledged);
          results.push({ generation, acknowledged });
          // Removing the manifest also sweeps the temporary file of a save cut short.
          await Manifest.remove(path);
          expect(await readdir(trialDir)).toEqual([]);
        }),
      );
    }
    expect(results).toHaveLength(TRIALS);
  }, 120_000);
});
