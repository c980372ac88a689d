/**
 * Hostile paths never serve a byte from outside the root, nor a dotfile: each is answered 400,
 * 403 or 404, and the secret's contents appear nowhere in what comes back.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileServer } from '../src/file-server.js';
import { exchange, makeTempDir, removeDir, startServer } from './helpers.js';

const SECRET = 'TOP-SECRET-5f2c9a';
let base: string;
let server: FileServer;
let port: number;

beforeAll(async () => {
  base = await makeTempDir();
  const root = join(base, 'root');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(root, 'public.txt'), 'public');
  await writeFile(join(root, '.env'), SECRET);
  await mkdir(join(root, '.git'));
  await writeFile(join(root, '.git', 'config'), SECRET);
  await writeFile(join(base, 'secret.txt'), SECRET);
  await symlink(join(base, 'secret.txt'), join(root, 'link-out.txt'));
  await symlink(base, join(root, 'sub', 'dir-out'));
  await symlink('/etc/passwd', join(root, 'passwd'));
  ({ server, port } = await startServer({ root }));
});

afterAll(async () => {
  await server.close();
  await removeDir(base);
});

async function get(target: string) {
  const result = await exchange(port, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`, {
    methods: ['GET'],
    timeoutMs: 2000,
  });
  return result;
}

describe('traversal and hidden files', () => {
  it.each([
    ['/../secret.txt', 403],
    ['/../../../../etc/passwd', 403],
    ['/%2e%2e/secret.txt', 403],
    ['/%2E%2E/secret.txt', 403],
    ['/sub/../../secret.txt', 403],
    ['/..%2fsecret.txt', 400],
    ['/..%2Fsecret.txt', 400],
    ['/..\\secret.txt', 403],
    ['/..%5csecret.txt', 403],
    ['/%c0%ae%c0%ae/secret.txt', 400],
    ['/public.txt%00.html', 400],
    ['/%00', 400],
    ['/.env', 404],
    ['/.git/config', 404],
    ['/%2eenv', 404],
    ['/sub/../.env', 404],
    ['/link-out.txt', 403],
    ['/sub/dir-out/secret.txt', 403],
    ['/passwd', 403],
    ['http://evil.example/../secret.txt', 403],
    ['http://evil.example/.env', 404],
    ['//etc/passwd', 404],
    ['/.lb/fragment-map/../secret.txt', 403],
    ['/.lb/fragment-map/link-out.txt', 403],
    ['/.lb/fragment-map/.env', 404],
  ])('%s → %d, no byte leaked', async (target, status) => {
    const result = await get(target);
    const text = result.raw.toString('latin1');
    expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('root:x:0:0');
  });

  it('asterisk-form and authority-form targets are refused with 400 / 405', async () => {
    expect((await get('*')).raw.toString('latin1')).toMatch(/^HTTP\/1\.1 400 /);
    const connect = await exchange(
      port,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
      {
        timeoutMs: 2000,
      },
    );
    expect(connect.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 405 /);
    expect(connect.closed).toBe(true);
  });

  it('the directory index lists neither dotfiles nor links out of the root', async () => {
    const result = await exchange(
      port,
      'GET / HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n',
      { methods: ['GET'] },
    );
    const document = JSON.parse(result.responses[0]!.body.toString());
    expect(document.files.map((file: { path: string }) => file.path)).toEqual(['public.txt']);
  });
});
