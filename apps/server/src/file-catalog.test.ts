import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputPathError } from './errors.js';
import { FileCatalog, hasHiddenSegment } from './file-catalog.js';

let base: string;
let root: string;
let catalog: FileCatalog;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'lb-catalog-'));
  root = join(base, 'root');
  await mkdir(join(root, 'sub', 'deeper'), { recursive: true });
  await mkdir(join(root, '.git'));
  await writeFile(join(root, 'a.txt'), 'a');
  await writeFile(join(root, 'sub', 'b.bin'), 'bb');
  await writeFile(join(root, 'sub', 'deeper', 'c'), 'ccc');
  await writeFile(join(root, '.env'), 'SECRET');
  await writeFile(join(root, '.git', 'config'), 'x');
  await writeFile(join(base, 'outside.txt'), 'OUTSIDE');
  await symlink(join(base, 'outside.txt'), join(root, 'escape.txt'));
  await symlink(base, join(root, 'escape-dir'));
  await symlink('a.txt', join(root, 'latest'));
  await symlink('.env', join(root, 'env-link'));
  await symlink('..', join(root, 'sub', 'loop'));
  execFileSync('mkfifo', [join(root, 'pipe')]);
  catalog = await FileCatalog.open(root);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('FileCatalog.resolve', () => {
  it('resolves files and directories under the root', async () => {
    expect(await catalog.resolve('a.txt')).toMatchObject({
      kind: 'file',
      absolutePath: join(root, 'a.txt'),
    });
    expect(await catalog.resolve('sub/deeper/c')).toMatchObject({ kind: 'file' });
    expect(await catalog.resolve('')).toMatchObject({ kind: 'directory', absolutePath: root });
    expect(await catalog.resolve('sub')).toMatchObject({ kind: 'directory' });
  });

  it('follows links that stay inside the root', async () => {
    expect(await catalog.resolve('latest')).toMatchObject({
      kind: 'file',
      absolutePath: join(root, 'a.txt'),
    });
  });

  it.each([
    ['escape.txt', 'forbidden'],
    ['escape-dir/outside.txt', 'forbidden'],
    ['sub/loop/sub/loop/a.txt', 'file'],
    ['.env', 'not-found'],
    ['.git/config', 'not-found'],
    ['env-link', 'not-found'],
    ['missing', 'not-found'],
    ['a.txt/x', 'not-found'],
    ['pipe', 'not-found'],
    ['a\\..\\..\\outside.txt', 'forbidden'],
    ['a\0', 'forbidden'],
  ])('%j → %s', async (path, kind) => {
    expect((await catalog.resolve(path)).kind).toBe(kind);
  });
});

describe('FileCatalog.list', () => {
  it('lists servable files recursively, without dotfiles, escapes, FIFOs or loops', async () => {
    const entries = await catalog.list();
    expect(entries.map((entry) => entry.path)).toEqual([
      'a.txt',
      'latest',
      'sub/b.bin',
      'sub/deeper/c',
    ]);
    expect(entries[2]!.stats.size).toBe(2);
  });

  it('lists a subdirectory with paths relative to the root', async () => {
    expect((await catalog.list('sub')).map((entry) => entry.path)).toEqual([
      'sub/b.bin',
      'sub/deeper/c',
    ]);
  });
});

describe('FileCatalog.open', () => {
  it('refuses a missing root and a file as root', async () => {
    await expect(FileCatalog.open(join(base, 'nope'))).rejects.toThrow(InputPathError);
    await expect(FileCatalog.open(join(root, 'a.txt'))).rejects.toThrow('is not a directory');
  });
});

describe('hasHiddenSegment', () => {
  it.each([
    ['', false],
    ['a/b', false],
    ['a/.b', true],
    ['..', true],
    ['a..b', false],
  ])('%j → %s', (path, hidden) => {
    expect(hasHiddenSegment(path)).toBe(hidden);
  });
});
