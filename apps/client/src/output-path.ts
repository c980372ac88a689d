/**
 * Where a download lands. Mode 1 (`-o FILE_OR_DIR`): an existing directory, or a path ending in
 * `/`, receives the file under its own name; anything else is the file path itself. Without `-o`,
 * the file's name in the current directory, as curl -O and wget do. Mode 2 (`-o DIR`): always a
 * directory, created when missing.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { localFileError } from './errors.js';

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Mode 1: the final path for a file called `name`, given `-o` (or not). */
export async function resolveOutputFile(
  output: string | undefined,
  name: string,
  cwd: string,
): Promise<string> {
  if (output === undefined) return join(cwd, name);
  const path = resolve(cwd, output);
  if (output.endsWith('/')) {
    await ensureDirectory(path);
    return join(path, name);
  }
  return (await isDirectory(path)) ? join(path, name) : path;
}

/**
 * Several mirror URLs: `-o` names a directory when it exists or ends in `/` (the file keeps its
 * remote name there), otherwise the file itself; no `-o` is the current directory.
 */
export async function mirrorsDestination(
  output: string | undefined,
  cwd: string,
): Promise<{ kind: 'file' | 'directory'; path: string }> {
  if (output === undefined) return { kind: 'directory', path: cwd };
  const path = resolve(cwd, output);
  if (output.endsWith('/')) return { kind: 'directory', path: await ensureDirectory(path) };
  if (await isDirectory(path)) return { kind: 'directory', path };
  await ensureDirectory(dirname(path));
  return { kind: 'file', path };
}

/** Creates `path` (and its parents) when missing. @throws LocalFileError */
export async function ensureDirectory(path: string): Promise<string> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw localFileError(path, 'create the directory', error);
  }
  return path;
}
