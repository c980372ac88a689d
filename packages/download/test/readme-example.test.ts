/**
 * Runs the README's example as written, with only the mirror addresses and the download directory
 * swapped for two real mirrors on local sockets and a temp directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type MirrorServer, startMirrorServer } from './mirror-server.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const body = randomBytes(3 * 1024 * 1024 + 17);
let dir: string;
let mirrors: MirrorServer[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-download-readme-'));
  mirrors = await Promise.all([
    startMirrorServer({ body, path: '/movie.iso', fragmentSize: 256 * 1024 }),
    startMirrorServer({ body, path: '/movie.iso', fragmentSize: 256 * 1024 }),
  ]);
});

afterAll(async () => {
  await Promise.all(mirrors.map((m) => m.close()));
  await rm(dir, { recursive: true, force: true });
});

function readmeExample(readme: string): string {
  const block = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('the README has no ## Example code block');
  return block;
}

it("the README's example downloads and verifies the file", async () => {
  const code = readmeExample(await readFile(join(packageDir, 'README.md'), 'utf8'))
    .replace("from '@lb/download'", `from ${JSON.stringify(join(packageDir, 'src/index.ts'))}`)
    .replace('http://127.0.0.1:8001', `http://127.0.0.1:${mirrors[0]!.port}`)
    .replace('http://127.0.0.1:8002', `http://127.0.0.1:${mirrors[1]!.port}`)
    .replace("'./downloads'", JSON.stringify(dir));
  const file = join(dir, 'example.ts');
  await writeFile(file, code);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
    const lines = log.mock.calls.map((args) => String(args[0]));
    expect(lines.at(-1)).toBe(
      `saved ${join(dir, 'movie.iso')} (${body.byteLength} bytes, verified by fragments)`,
    );
  } finally {
    log.mockRestore();
  }
  expect((await readFile(join(dir, 'movie.iso'))).equals(body)).toBe(true);
  expect(mirrors[0]!.rangesServed + mirrors[1]!.rangesServed).toBeGreaterThanOrEqual(13);
});
