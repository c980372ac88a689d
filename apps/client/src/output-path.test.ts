import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileError } from './errors.js';
import { ensureDirectory, mirrorsDestination, resolveOutputFile } from './output-path.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-client-out-'));
  await mkdir(join(dir, 'existing'));
  await writeFile(join(dir, 'file'), 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveOutputFile', () => {
  it('no -o: the name in the cwd; a directory or trailing slash: the name inside; else the path', async () => {
    expect(await resolveOutputFile(undefined, 'f.bin', dir)).toBe(join(dir, 'f.bin'));
    expect(await resolveOutputFile('existing', 'f.bin', dir)).toBe(join(dir, 'existing', 'f.bin'));
    expect(await resolveOutputFile('new/', 'f.bin', dir)).toBe(join(dir, 'new', 'f.bin'));
    expect(await resolveOutputFile('renamed.bin', 'f.bin', dir)).toBe(join(dir, 'renamed.bin'));
  });
});

describe('mirrorsDestination', () => {
  it('directories keep the remote name, other paths are the file', async () => {
    expect(await mirrorsDestination(undefined, dir)).toEqual({ kind: 'directory', path: dir });
    expect(await mirrorsDestination('existing', dir)).toEqual({
      kind: 'directory',
      path: join(dir, 'existing'),
    });
    expect(await mirrorsDestination('d2/', dir)).toEqual({
      kind: 'directory',
      path: join(dir, 'd2'),
    });
    expect(await mirrorsDestination('d3/x.bin', dir)).toEqual({
      kind: 'file',
      path: join(dir, 'd3', 'x.bin'),
    });
  });

  it('a directory that cannot be created is a LocalFileError', async () => {
    await expect(ensureDirectory(join(dir, 'file', 'sub'))).rejects.toBeInstanceOf(LocalFileError);
  });
});
