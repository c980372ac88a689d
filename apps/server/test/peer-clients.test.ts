/** Real clients against the server: curl, Node's fetch, and aria2c's multi-connection downloads. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileServer } from '../src/file-server.js';
import { hasProgram, skipReason, startServer, writeRandomFile } from './helpers.js';

const run = promisify(execFile);
const hasCurl = hasProgram('curl');
const hasAria2c = hasProgram('aria2c');
if (!hasCurl) skipReason('curl');
if (!hasAria2c) skipReason('aria2c');

let server: FileServer;
let port: number;
let file: Buffer;

const root = useTempDir(async (dir) => {
  file = await writeRandomFile(join(dir, 'payload.bin'), 5 * 1024 * 1024 + 3);
  await writeFile(join(dir, 'note.txt'), 'note\n');
});
const out = useTempDir();

beforeAll(async () => {
  ({ server, port } = await startServer({ root: root.path, serverId: 'peer' }));
});

afterAll(async () => {
  await server.close();
});

describe('fetch', () => {
  it('downloads a file byte-identical to the source', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/payload.bin`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(file)).toBe(true);
  });

  it('gets a range, the seed endpoints and the JSON index', async () => {
    const range = await fetch(`http://127.0.0.1:${port}/payload.bin`, {
      headers: { Range: 'bytes=100-199' },
    });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).equals(file.subarray(100, 200))).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/home`)).text()).toBe(
      'Hello from Server: peer',
    );
    const index = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { Accept: 'application/json' },
    });
    expect(((await index.json()) as { files: unknown[] }).files).toHaveLength(2);
  });
});

describe.skipIf(!hasCurl)('curl', () => {
  it('downloads a file byte-identical to the source', async () => {
    const target = join(out.path, 'curl.bin');
    await run('curl', ['-sf', '-o', target, `http://127.0.0.1:${port}/payload.bin`]);
    expect((await readFile(target)).equals(file)).toBe(true);
  });

  it('resumes a partial download with -C -', async () => {
    const target = join(out.path, 'resume.bin');
    await writeFile(target, file.subarray(0, 1_000_000));
    await run('curl', ['-sf', '-C', '-', '-o', target, `http://127.0.0.1:${port}/payload.bin`]);
    expect((await readFile(target)).equals(file)).toBe(true);
  });

  it('reuses one connection for several URLs', async () => {
    const { stderr } = await run('curl', [
      '-sv',
      '-o',
      '/dev/null',
      '-o',
      '/dev/null',
      `http://127.0.0.1:${port}/note.txt`,
      `http://127.0.0.1:${port}/home`,
    ]);
    expect(stderr).toMatch(/Re-using existing connection|Reusing existing/);
  });

  it('sees 405 with Allow for POST, and HEAD headers with -I', async () => {
    const post = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      `http://127.0.0.1:${port}/note.txt`,
    ]);
    expect(post.stdout).toBe('405');
    const head = await run('curl', ['-sI', `http://127.0.0.1:${port}/note.txt`]);
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head.stdout).toContain('Content-Length: 5\r\n');
    expect(head.stdout).toMatch(/Repr-Digest: sha-256=:|ETag: /);
  });
});

describe.skipIf(!hasAria2c)('aria2c', () => {
  it('downloads over 4 connections with ranges, byte-identical', async () => {
    await run('aria2c', [
      '-q',
      '-x4',
      '-s4',
      '-k1M',
      '--allow-overwrite=true',
      '--auto-file-renaming=false',
      '-d',
      out.path,
      '-o',
      'aria.bin',
      `http://127.0.0.1:${port}/payload.bin`,
    ]);
    expect((await readFile(join(out.path, 'aria.bin'))).equals(file)).toBe(true);
  });
});
