/**
 * Fragment maps (and with them the whole-file SHA-256 for `Repr-Digest`), computed once per file
 * version in the background and cached.
 *
 * One sequential pass over the file yields both: @lb/segments' `buildFragmentMap` hashes every
 * fragment and the whole file together. Work started by first sight of a file (`peek`, `warm`)
 * runs one file at a time so a large tree does not starve the disk; a client asking for the map
 * itself (`get`) starts its file at once. A result is kept only if the file still has the version
 * it had when hashing began.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { buildFragmentMap, type FragmentMap } from '@lb/segments';
import { ServerAppError } from './errors.js';
import { type FileStats, fileEtag, fileVersionKey } from './file-validators.js';
import { openRingBufferFileSource } from './ring-buffer-file-source.js';

export interface FileRef {
  absolutePath: string;
  stats: FileStats;
  /** The name clients know the file by (the last segment of the request path). */
  name: string;
}

/** The file changed (or vanished) while it was being hashed: there is no map for that version. */
export class FileChangedError extends ServerAppError {
  declare readonly code: 'LB_SERVER_FILE_CHANGED';
  readonly path: string;

  constructor(path: string) {
    super('LB_SERVER_FILE_CHANGED', `${path} changed while its fragment map was computed`);
    this.path = path;
  }
}

interface Entry {
  readonly key: string;
  readonly ref: FileRef;
  map: FragmentMap | undefined;
  running: Promise<FragmentMap> | undefined;
}

export interface FragmentMapCacheOptions {
  /** Files whose maps are remembered; the least recently used are forgotten first. */
  maxEntries?: number;
  /** Called when a background computation fails (the app logs it). */
  onError?: (error: unknown, absolutePath: string) => void;
}

export class FragmentMapCache {
  readonly #entries = new Map<string, Entry>();
  readonly #queue: Entry[] = [];
  readonly #maxEntries: number;
  readonly #onError: (error: unknown, absolutePath: string) => void;
  #backgroundBusy = false;
  #closed = false;

  constructor(options: FragmentMapCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 4096;
    this.#onError = options.onError ?? (() => {});
  }

  /** The map of exactly this version if it is ready; otherwise queues it and returns undefined. */
  peek(ref: FileRef): FragmentMap | undefined {
    const entry = this.#entryFor(ref);
    if (entry.map === undefined && entry.running === undefined && !this.#queue.includes(entry)) {
      this.#queue.push(entry);
      this.#pump();
    }
    return entry.map;
  }

  /** Queues every file whose map is not known yet (start-up, directory listings). */
  warm(refs: Iterable<FileRef>): void {
    for (const ref of refs) this.peek(ref);
  }

  /** The map of this version, computing it now if needed. Rejects with FileChangedError. */
  get(ref: FileRef): Promise<FragmentMap> {
    const entry = this.#entryFor(ref);
    if (entry.map !== undefined) return Promise.resolve(entry.map);
    return this.#run(entry);
  }

  /** Stops starting background work (maps already running finish and are dropped). */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  #entryFor(ref: FileRef): Entry {
    const key = fileVersionKey(ref.stats);
    const existing = this.#entries.get(ref.absolutePath);
    if (existing !== undefined && existing.key === key) {
      // Refresh its place in the LRU order.
      this.#entries.delete(ref.absolutePath);
      this.#entries.set(ref.absolutePath, existing);
      return existing;
    }
    const entry: Entry = { key, ref, map: undefined, running: undefined };
    this.#entries.set(ref.absolutePath, entry);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return entry;
  }

  #run(entry: Entry): Promise<FragmentMap> {
    if (entry.running !== undefined) return entry.running;
    const index = this.#queue.indexOf(entry);
    if (index !== -1) this.#queue.splice(index, 1);
    entry.running = computeFragmentMap(entry.ref).then(
      (map) => {
        entry.running = undefined;
        // Keep it only if this entry is still the current version of the path.
        if (this.#entries.get(entry.ref.absolutePath) === entry) entry.map = map;
        return map;
      },
      (error: unknown) => {
        entry.running = undefined;
        if (this.#entries.get(entry.ref.absolutePath) === entry) {
          this.#entries.delete(entry.ref.absolutePath);
        }
        throw error;
      },
    );
    return entry.running;
  }

  #pump(): void {
    if (this.#backgroundBusy || this.#closed) return;
    const entry = this.#queue.shift();
    if (entry === undefined) return;
    this.#backgroundBusy = true;
    this.#run(entry)
      .catch((error: unknown) => {
        if (!(error instanceof FileChangedError)) this.#onError(error, entry.ref.absolutePath);
      })
      .finally(() => {
        this.#backgroundBusy = false;
        this.#pump();
      });
  }
}

async function computeFragmentMap(ref: FileRef): Promise<FragmentMap> {
  const { absolutePath, stats } = ref;
  const key = fileVersionKey(stats);
  const source = await openRingBufferFileSource(absolutePath);
  let map: FragmentMap;
  try {
    if (source.size !== stats.size) throw new FileChangedError(absolutePath);
    map = await buildFragmentMap(source, { name: ref.name, etag: fileEtag(stats) });
  } catch (error) {
    // A short read means the file shrank under us.
    if ((error as { code?: unknown }).code === 'LB_SEGMENTS_SHORT_READ') {
      throw new FileChangedError(absolutePath);
    }
    throw error;
  } finally {
    await source.close();
  }
  let after: Stats;
  try {
    after = await stat(absolutePath);
  } catch {
    throw new FileChangedError(absolutePath);
  }
  if (fileVersionKey(after) !== key) throw new FileChangedError(absolutePath);
  return map;
}
