/** The directory index (HTML and JSON) and the fragment-map endpoint. */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFragmentMap, planForMap } from '@lb/segments';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileServer } from '../src/file-server.js';
import { request, startServer, writeRandomFile } from './helpers.js';

let server: FileServer;
let port: number;
let big: Buffer;
const HOSTILE_NAME = '<img src=x onerror="alert(1)"> & \'q\'.txt';

const root = useTempDir(async (dir) => {
  big = await writeRandomFile(join(dir, 'big.bin'), 2.5 * 1024 * 1024);
  await writeFile(join(dir, HOSTILE_NAME), 'boo');
  await mkdir(join(dir, 'sub dir'));
  await writeFile(join(dir, 'sub dir', 'a#1.txt'), 'a');
  await writeFile(join(dir, 'empty'), '');
});

beforeAll(async () => {
  ({ server, port } = await startServer({ root: root.path, serverId: 'idx' }));
});

afterAll(async () => {
  await server.close();
});

describe('directory index', () => {
  it('JSON for Accept: application/json, with sizes, URLs and (eventually) digests', async () => {
    // The fragment map request makes sure big.bin's digest is ready.
    await request(port, '/.lb/fragment-map/big.bin');
    const response = await request(port, '/', { Accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('vary')).toBe('Accept');
    const document = JSON.parse(response.body.toString());
    expect(document.server).toBe('idx');
    expect(document.directory).toBe('/');
    expect(document.files.map((f: { path: string }) => f.path)).toEqual([
      HOSTILE_NAME,
      'big.bin',
      'empty',
      'sub dir/a#1.txt',
    ]);
    const bigEntry = document.files.find((f: { path: string }) => f.path === 'big.bin');
    expect(bigEntry).toMatchObject({
      url: '/big.bin',
      size: big.length,
      sha256: createHash('sha256').update(big).digest('base64'),
      fragmentMap: '/.lb/fragment-map/big.bin',
    });
    expect(bigEntry.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const nested = document.files.find((f: { path: string }) => f.path === 'sub dir/a#1.txt');
    expect(nested.url).toBe('/sub%20dir/a%231.txt');
    // Every listed URL works.
    expect((await request(port, nested.url)).body.toString()).toBe('a');
  });

  it('HTML for browsers, with every name escaped', async () => {
    const response = await request(port, '/', {
      Accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = response.body.toString();
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;q&#39;.txt');
    expect(html).toContain(
      'href="/%3Cimg%20src%3Dx%20onerror%3D%22alert(1)%22%3E%20%26%20&#39;q&#39;.txt"',
    );
    expect(html).toContain('<td>2621440</td>');
  });

  it('lists a subdirectory', async () => {
    const response = await request(port, '/sub%20dir/', { Accept: 'application/json' });
    const document = JSON.parse(response.body.toString());
    expect(document.directory).toBe('/sub dir/');
    expect(document.files.map((f: { path: string }) => f.path)).toEqual(['sub dir/a#1.txt']);
  });

  it('--no-index: directories answer 404, files still serve', async () => {
    const { server: quiet, port: quietPort } = await startServer({
      root: root.path,
      directoryIndex: false,
    });
    try {
      expect((await request(quietPort, '/')).status).toBe(404);
      expect((await request(quietPort, '/sub%20dir/')).status).toBe(404);
      expect((await request(quietPort, '/empty')).status).toBe(200);
    } finally {
      await quiet.close();
    }
  });
});

describe('fragment maps', () => {
  it('describes the file: size, ETag, SHA-256 and one digest per fragment', async () => {
    const file = await request(port, '/big.bin');
    const response = await request(port, '/.lb/fragment-map/big.bin');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const map = parseFragmentMap(response.body);
    expect(map).toMatchObject({
      version: 1,
      name: 'big.bin',
      size: big.length,
      etag: file.headers.get('etag'),
      sha256: createHash('sha256').update(big).digest('base64'),
    });
    for (const fragment of planForMap(map).fragments) {
      expect(map.fragments[fragment.index]).toBe(
        createHash('sha256')
          .update(big.subarray(fragment.start, fragment.end + 1))
          .digest('base64'),
      );
    }
    expect(file.headers.get('repr-digest')).toBe(`sha-256=:${map.sha256}:`);
  });

  it('works for names that need encoding and for empty files', async () => {
    const nested = await request(port, '/.lb/fragment-map/sub%20dir/a%231.txt');
    expect(parseFragmentMap(nested.body)).toMatchObject({ name: 'a#1.txt', size: 1 });
    const empty = await request(port, '/.lb/fragment-map/empty');
    expect(parseFragmentMap(empty.body)).toMatchObject({ size: 0, fragments: [] });
  });

  it.each([
    '/.lb/fragment-map/missing',
    '/.lb/fragment-map/sub%20dir/',
    '/.lb/fragment-map/heartbeat',
  ])('%s → 404', async (target) => {
    expect((await request(port, target)).status).toBe(404);
  });

  it('is recomputed when the file changes', async () => {
    await writeFile(join(root.path, 'changing'), 'one');
    const before = parseFragmentMap((await request(port, '/.lb/fragment-map/changing')).body);
    await writeFile(join(root.path, 'changing'), 'two!');
    const after = parseFragmentMap((await request(port, '/.lb/fragment-map/changing')).body);
    expect(after.size).toBe(4);
    expect(after.sha256).not.toBe(before.sha256);
  });
});
