import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The file operations a manifest needs, so the format can be tested (or stored elsewhere) without
 * a disk. `nodeManifestIO` is the real one.
 */
export interface ManifestIO {
  /** The file's bytes, or null when it does not exist. */
  readFile(path: string): Promise<Uint8Array | null>;
  /** Replaces the file so that a crash at any moment leaves either the old or the new bytes. */
  writeFileAtomic(path: string, data: Uint8Array): Promise<void>;
  /** Deletes the file (and any temporary files a crashed save left); no error when absent. */
  removeFile(path: string): Promise<void>;
}

let tempCounter = 0;

/**
 * Atomic replace on POSIX: write a temporary file in the same directory (rename is only atomic
 * within a file system), fsync it (so the rename cannot become durable before the data), rename
 * it over the target, then fsync the directory (so the rename itself survives a power cut).
 * A crash can leave a `.<name>.<pid>.<n>.tmp` behind, never a torn target; `removeFile` of the
 * node IO (`Manifest.remove`) deletes such leftovers with the manifest.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    try {
      let written = 0;
      while (written < data.byteLength) {
        const { bytesWritten } = await handle.write(data, written, data.byteLength - written);
        written += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(directory);
}

/** fsync of a directory; some platforms (Windows) cannot, and there rename is as good as it gets. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/** ManifestIO on the local file system through node:fs. */
export const nodeManifestIO: ManifestIO = {
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  writeFileAtomic,
  async removeFile(path) {
    const prefix = `.${basename(path)}.`;
    const leftovers = (await readdir(dirname(path)).catch(() => [] as string[])).filter(
      (name) => name.startsWith(prefix) && name.endsWith('.tmp'),
    );
    for (const target of [path, ...leftovers.map((name) => join(dirname(path), name))]) {
      try {
        await unlink(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  },
};
