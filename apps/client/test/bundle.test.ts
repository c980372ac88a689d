/**
 * Properties of the bundled command itself (the file the suite runs, built as `dist/bin.js` is).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectDownloaded,
  localPorts,
  MiB,
  makeTempDir,
  removeDir,
  runClient,
  startSingleServer,
  writeRandomFile,
} from './helpers.js';

describe('the bundled lb-client', () => {
  it('is pure ASCII, so V8 keeps its source at one byte per character', async () => {
    // One non-ASCII character anywhere (a "→" in a comment esbuild keeps) makes V8 store the
    // whole ~650 KB source as a two-byte string: 0.65 MB more peak RSS for every download.
    const text = await readFile(inject('clientBundle'), 'utf8');
    const offenders = text
      .split('\n')
      .flatMap((line, index) =>
        /[^\x00-\x7f]/.test(line) ? [`${index + 1}: ${line.trim().slice(0, 100)}`] : [],
      );
    expect(offenders).toEqual([]);
  });
});

describe('V8 compiler tiers', () => {
  let root: string;
  const work = useTempDir();
  let sha: string;
  let server: Awaited<ReturnType<typeof startSingleServer>>;

  beforeAll(async () => {
    root = await makeTempDir();
    // Large enough that V8 optimizes some of the download's functions when it may (about 10 at
    // 32 MiB, none at 8).
    sha = await writeRandomFile(join(root, 'tiers.bin'), 64 * MiB);
    server = await startSingleServer(root);
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(root);
  });

  /** Downloads tiers.bin with `--trace-opt`; returns how many functions TurboFan compiled. */
  async function turbofanCompiles(name: string, nodeOptions: string[]): Promise<number> {
    const out = join(work.path, name);
    const run = await runClient(['-i', '600', '-o', out, ...localPorts([server.port])], {
      nodeOptions: ['--trace-opt', ...nodeOptions],
    });
    await expectDownloaded(run, join(out, 'tiers.bin'), sha);
    // V8 prints its traces on stdout.
    return run.stdout.split('\n').filter((line) => /completed .*\(target TURBOFAN\)/.test(line))
      .length;
  }

  it('runs without the optimizing compiler (TurboFan) by default', async () => {
    expect(await turbofanCompiles('default', [])).toBe(0);
  });

  it('leaves the tiers to a node command line that chooses them', async () => {
    expect(await turbofanCompiles('turbofan', ['--turbofan'])).toBeGreaterThan(0);
  });
});
