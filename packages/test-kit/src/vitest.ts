/**
 * Suite fixtures that register vitest hooks, so a test file states what it needs in one line. Its
 * own entry (`@lb/test-kit/vitest`): the demo and the benchmarks use the kit outside vitest.
 */
import { afterAll, beforeAll } from 'vitest';
import { makeTempDir, removeDir } from './files.js';

export interface TempDir {
  /** Set before the file's tests run; read it in hooks and tests, not at import time. */
  readonly path: string;
}

/**
 * A temporary directory for the test file: made before its tests (then `fill` writes what they
 * read), removed after them, once the hooks registered later (servers using it) have run.
 */
export function useTempDir(fill?: (dir: string) => Promise<unknown>): TempDir {
  const dir = { path: '' };
  beforeAll(async () => {
    dir.path = await makeTempDir();
    await fill?.(dir.path);
  });
  afterAll(() => removeDir(dir.path));
  return dir;
}
