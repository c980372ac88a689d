/**
 * The files a server may serve: regular files under the root, reached without leaving it.
 *
 * Request paths arrive already decoded and normalised by `decodeRequestPath`; this module is the
 * second, independent line of defence, on the filesystem itself: it resolves the final path with
 * `realpath` and serves it only if it lies under the realpath of the root and no component of the
 * resolved path is a dotfile. Symlinks inside the root that point inside the root are followed
 * (mirrors often link `latest` to a release); anything that resolves outside is refused.
 */
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  openSync,
  realpathSync,
  type Stats,
} from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputPathError } from './errors.js';

export type Resolution =
  | { kind: 'file'; relativePath: string; absolutePath: string; stats: Stats }
  | { kind: 'directory'; relativePath: string; absolutePath: string }
  /** Nothing servable here: missing, a dotfile, or not a regular file (FIFOs are never opened). */
  | { kind: 'not-found' }
  /** It exists but resolves outside the root, or the OS denies access. */
  | { kind: 'forbidden' };

/** A file opened for serving: its descriptor and the `fstat` of exactly what will be read. */
export type OpenedResolution =
  | { kind: 'file'; relativePath: string; absolutePath: string; fd: number; stats: Stats }
  | { kind: 'directory'; relativePath: string; absolutePath: string }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

// O_NONBLOCK: opening a FIFO that slipped into the root must not hang the server (it is then
// refused by the fstat check); regular files ignore the flag. O_NOFOLLOW: the path is already a
// realpath, so a symlink here means one was swapped in since the check.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export interface CatalogEntry {
  /** Path relative to the root, `/`-separated, no leading slash: `releases/a.iso`. */
  path: string;
  absolutePath: string;
  stats: Stats;
}

/** The directory index lists at most this many files, so a huge tree cannot stall a request. */
export const MAX_LISTED_FILES = 10_000;

/** Is any `/`-separated segment hidden, empty-ish or able to climb (`.`, `..`, `.git`)? */
export function hasHiddenSegment(relativePath: string): boolean {
  if (relativePath === '') return false;
  return relativePath.split('/').some((segment) => segment.startsWith('.'));
}

/** Characters no served path may contain, whatever the decoder upstream let through. */
const FORBIDDEN_CHARACTERS = /[\0\\]/;

export class FileCatalog {
  /** Realpath of the root: every served file's realpath starts with it. */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens the catalog of `root`; throws {@link InputPathError} unless it is a directory. */
  static async open(root: string): Promise<FileCatalog> {
    let real: string;
    try {
      real = await realpath(root);
    } catch (error) {
      throw new InputPathError(root, `root directory ${root} does not exist`, { cause: error });
    }
    const stats = await stat(real);
    if (!stats.isDirectory()) throw new InputPathError(root, `root ${root} is not a directory`);
    return new FileCatalog(real);
  }

  /** Resolves a decoded request path (relative, `/`-separated, '' for the root). */
  async resolve(relativePath: string): Promise<Resolution> {
    if (FORBIDDEN_CHARACTERS.test(relativePath)) return { kind: 'forbidden' };
    if (hasHiddenSegment(relativePath)) return { kind: 'not-found' };
    let absolutePath: string;
    try {
      absolutePath = await realpath(join(this.root, relativePath));
    } catch (error) {
      return failureResolution(error);
    }
    const inside = this.#relativeInside(absolutePath);
    if (inside === null) return { kind: 'forbidden' };
    // A link inside the root to a dotfile inside the root is still a dotfile.
    if (hasHiddenSegment(inside)) return { kind: 'not-found' };
    let stats: Stats;
    try {
      stats = await stat(absolutePath);
    } catch (error) {
      return failureResolution(error);
    }
    if (stats.isDirectory()) return { kind: 'directory', relativePath, absolutePath };
    if (!stats.isFile()) return { kind: 'not-found' };
    return { kind: 'file', relativePath, absolutePath, stats };
  }

  /**
   * Like {@link resolve}, but opens the file and answers from `fstat` of the descriptor, so the
   * headers describe exactly the bytes that will be read.
   *
   * Synchronous on purpose, like nginx: realpath/open/fstat are answered from the kernel's dentry
   * and inode caches in a few microseconds, while a threadpool round trip for each costs more CPU
   * than the syscall itself (measured in docs/benchmarks/server.md). The price is that a hung
   * filesystem (a dead NFS mount) would stall the event loop; mirrors serve local disks.
   */
  openForServing(relativePath: string): OpenedResolution {
    if (FORBIDDEN_CHARACTERS.test(relativePath)) return { kind: 'forbidden' };
    if (hasHiddenSegment(relativePath)) return { kind: 'not-found' };
    let absolutePath: string;
    try {
      absolutePath = realpathSync.native(join(this.root, relativePath));
    } catch (error) {
      return failureResolution(error);
    }
    const inside = this.#relativeInside(absolutePath);
    if (inside === null) return { kind: 'forbidden' };
    if (hasHiddenSegment(inside)) return { kind: 'not-found' };
    let fd: number;
    try {
      fd = openSync(absolutePath, OPEN_FLAGS);
    } catch (error) {
      return failureResolution(error);
    }
    let stats: Stats;
    try {
      stats = fstatSync(fd);
    } catch (error) {
      closeSync(fd);
      return failureResolution(error);
    }
    if (stats.isFile()) return { kind: 'file', relativePath, absolutePath, fd, stats };
    closeSync(fd);
    if (stats.isDirectory()) return { kind: 'directory', relativePath, absolutePath };
    return { kind: 'not-found' };
  }

  /**
   * Every servable file under the directory `relativeDir` (recursively), sorted by path, at most
   * {@link MAX_LISTED_FILES}. Links to files are listed under their own name; links to
   * directories are not descended into, so loops and duplicate trees cannot occur.
   */
  async list(relativeDir = ''): Promise<CatalogEntry[]> {
    const entries: CatalogEntry[] = [];
    const walk = async (relativePath: string, isLink: boolean): Promise<void> => {
      const resolution = await this.resolve(relativePath);
      if (resolution.kind === 'file') {
        entries.push({
          path: relativePath,
          absolutePath: resolution.absolutePath,
          stats: resolution.stats,
        });
        return;
      }
      if (resolution.kind !== 'directory' || isLink) return;
      let children: Dirent[];
      try {
        children = await readdir(resolution.absolutePath, { withFileTypes: true });
      } catch {
        return;
      }
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) {
        if (entries.length >= MAX_LISTED_FILES) return;
        if (child.name.startsWith('.') || FORBIDDEN_CHARACTERS.test(child.name)) continue;
        const childPath = relativePath === '' ? child.name : `${relativePath}/${child.name}`;
        await walk(childPath, child.isSymbolicLink());
      }
    };
    await walk(relativeDir, false);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return entries;
  }

  /** `absolutePath` relative to the root (`/`-separated), or null when it is outside. */
  #relativeInside(absolutePath: string): string | null {
    if (absolutePath === this.root) return '';
    const prefix = this.root.endsWith(sep) ? this.root : this.root + sep;
    if (!absolutePath.startsWith(prefix)) return null;
    return relative(this.root, absolutePath).split(sep).join('/');
  }
}

function failureResolution(error: unknown): { kind: 'not-found' } | { kind: 'forbidden' } {
  const code = (error as { code?: unknown }).code;
  // EACCES/EPERM: it exists but we may not look; everything else (ENOENT, ENOTDIR, ELOOP,
  // ENAMETOOLONG) means there is nothing to serve.
  return code === 'EACCES' || code === 'EPERM' ? { kind: 'forbidden' } : { kind: 'not-found' };
}
