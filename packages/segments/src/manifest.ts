import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { SHA256_BASE64_PATTERN, type Sha256Base64 } from './digest.js';
import {
  InvalidArgumentError,
  ManifestCorruptError,
  type ManifestDifference,
  ManifestMismatchError,
  ManifestUnverifiableError,
  ManifestVersionError,
} from './errors.js';
import { FragmentBitmap } from './fragment-bitmap.js';
import type { FragmentMap } from './fragment-map.js';
import { type ManifestIO, nodeManifestIO } from './manifest-store.js';
import { type FragmentPlan, planWithFragmentSize } from './plan-fragments.js';

/** The only manifest format version this library writes and reads. */
export const MANIFEST_VERSION = 1;

/** The remote file a manifest belongs to. */
export interface ManifestFile {
  readonly name: string;
  readonly size: number;
  /** The server's entity tag, with quotes; `''` when it sent none. Only a strong one (`"…"`) can
   * identify the file on resume when no digest is known. */
  readonly etag: string;
  /** Whole-file SHA-256, or null when no mirror offered one (plain Range servers). */
  readonly sha256: Sha256Base64 | null;
  /** The server's `Last-Modified` value, verbatim, if it sent one. */
  readonly lastModified?: string;
}

/** What identifies the remote file now (a FragmentMap fits). */
export interface RemoteFileIdentity {
  readonly size: number;
  readonly etag?: string;
  readonly sha256?: Sha256Base64 | null;
  readonly fragmentSize?: number;
}

/** A strong entity tag (RFC 9110 §8.8.3): `"…"`, not `W/"…"`, not empty. */
export function isStrongEtag(etag: string | undefined | null): etag is string {
  return typeof etag === 'string' && /^"[\x21\x23-\x7e\x80-\xff]*"$/.test(etag);
}

export interface ManifestInit {
  readonly file: ManifestFile;
  readonly fragmentSize: number;
  readonly sources?: readonly string[];
  readonly done?: Iterable<number>;
  /** ISO 8601 time of the last save; set by `save()`. */
  readonly updatedAt?: string;
}

/** Where the manifest of a download to `finalPath` lives: next to it, `<finalPath>.lb-manifest.json`. */
export function manifestPathFor(finalPath: string): string {
  return `${finalPath}.lb-manifest.json`;
}

/**
 * The resume record of one download: which remote file, how it is cut, which fragments are
 * verified on disk (in the `.part` file). Saved atomically; on load, a torn or edited file is
 * detected by its checksum (SHA-256 of the canonical JSON of every other field) and rejected with
 * a coded error rather than trusted. The manifest never deletes or rewrites the `.part` data.
 *
 * On disk (version 1):
 * `{ version, file: { name, size, etag, sha256 (base64, or null), lastModified? }, fragmentSize,
 *   sources, done, updatedAt, checksum }` — `done` is a base64 bitmap (see FragmentBitmap).
 */
export class Manifest {
  readonly file: ManifestFile;
  readonly fragmentSize: number;
  /** Number of fragments: ceil(file.size / fragmentSize). */
  readonly count: number;
  readonly #done: FragmentBitmap;
  #sources: readonly string[];
  #updatedAt: string | undefined;

  private constructor(
    file: ManifestFile,
    fragmentSize: number,
    done: FragmentBitmap,
    sources: readonly string[],
    updatedAt: string | undefined,
  ) {
    this.file = file;
    this.fragmentSize = fragmentSize;
    this.count = done.count;
    this.#done = done;
    this.#sources = sources;
    this.#updatedAt = updatedAt;
  }

  /**
   * A new manifest. @throws InvalidArgumentError (`LB_SEGMENTS_INVALID_ARGUMENT`) naming the bad field.
   */
  static create(init: ManifestInit): Manifest {
    const problem = fileProblem(init.file) ?? scalarProblem(init, false);
    if (problem) throw new InvalidArgumentError(problem, fieldValue(init, problem));
    const count = countOf(init.file.size, init.fragmentSize);
    const done = new FragmentBitmap(count);
    for (const index of init.done ?? []) {
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new InvalidArgumentError(
          'done',
          index,
          `done index ${index} is not in [0, ${count})`,
        );
      }
      done.add(index);
    }
    const file = freezeFile(init.file);
    return new Manifest(file, init.fragmentSize, done, [...(init.sources ?? [])], init.updatedAt);
  }

  /** A fresh manifest (nothing done) for the file a fragment map describes. */
  static fromMap(
    map: FragmentMap,
    options: { sources?: readonly string[]; lastModified?: string } = {},
  ): Manifest {
    const { name, size, etag, sha256 } = map;
    const file: ManifestFile =
      options.lastModified === undefined
        ? { name, size, etag, sha256 }
        : { name, size, etag, sha256, lastModified: options.lastModified };
    return Manifest.create({
      file,
      fragmentSize: map.fragmentSize,
      sources: options.sources ?? [],
    });
  }

  /**
   * Reads a manifest; null when the file does not exist.
   *
   * @throws ManifestCorruptError (`LB_SEGMENTS_MANIFEST_CORRUPT`, `reason` 'json' | 'schema' | 'checksum'),
   *   ManifestVersionError (`LB_SEGMENTS_MANIFEST_VERSION`). The file is left as it is, for inspection.
   */
  static async load(path: string, io: ManifestIO = nodeManifestIO): Promise<Manifest | null> {
    const bytes = await io.readFile(path);
    return bytes === null ? null : Manifest.parse(bytes, path);
  }

  /**
   * Parses the on-disk form. Checks run in this order: JSON, version (a newer format is reported as
   * such, not as corrupt), checksum, then every field.
   */
  static parse(data: string | Uint8Array, path = '<memory>'): Manifest {
    let value: unknown;
    try {
      const text =
        typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: true }).decode(data);
      value = JSON.parse(text);
    } catch {
      throw new ManifestCorruptError(path, 'json');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ManifestCorruptError(path, 'schema', 'root');
    }
    const record = value as Record<string, unknown>;
    const version = record['version'];
    if (!Number.isSafeInteger(version)) throw new ManifestCorruptError(path, 'schema', 'version');
    if (version !== MANIFEST_VERSION) throw new ManifestVersionError(path, version as number);

    const { checksum, ...body } = record;
    if (typeof checksum !== 'string' || checksum !== checksumOf(body)) {
      throw new ManifestCorruptError(path, 'checksum');
    }

    const file = record['file'];
    if (typeof file !== 'object' || file === null || Array.isArray(file)) {
      throw new ManifestCorruptError(path, 'schema', 'file');
    }
    const problem = fileProblem(file as Record<string, unknown>) ?? scalarProblem(record, true);
    if (problem) throw new ManifestCorruptError(path, 'schema', problem);
    const manifestFile = freezeFile(file as ManifestFile);
    const fragmentSize = record['fragmentSize'] as number;
    const done = record['done'];
    const bitmap =
      typeof done === 'string'
        ? FragmentBitmap.fromBase64(done, countOf(manifestFile.size, fragmentSize))
        : undefined;
    if (!bitmap) throw new ManifestCorruptError(path, 'schema', 'done');
    const updatedAt = record['updatedAt'];
    return new Manifest(
      manifestFile,
      fragmentSize,
      bitmap,
      [...(record['sources'] as string[])],
      updatedAt as string,
    );
  }

  /** Deletes a manifest (after the download is finalized); no error when it does not exist. */
  static async remove(path: string, io: ManifestIO = nodeManifestIO): Promise<void> {
    await io.removeFile(path);
  }

  /** Mirrors known for this file, to try again on resume. */
  get sources(): readonly string[] {
    return this.#sources;
  }

  set sources(sources: readonly string[]) {
    for (const [i, source] of sources.entries()) {
      if (typeof source !== 'string') throw new InvalidArgumentError(`sources[${i}]`, source);
    }
    this.#sources = [...sources];
  }

  /** ISO 8601 time of the last save (or of the loaded file); undefined before the first save. */
  get updatedAt(): string | undefined {
    return this.#updatedAt;
  }

  /** Fragments verified and written to the `.part` file. */
  get doneCount(): number {
    return this.#done.size;
  }

  isDone(index: number): boolean {
    return this.#done.has(index);
  }

  /** Done indexes, ascending: pass them as the scheduler's `done`. */
  doneFragments(): number[] {
    return this.#done.indexes();
  }

  /**
   * Records a verified fragment. Call it only once the fragment's bytes are in the `.part` file
   * (and, for crash safety, after that file was fsynced before the next `save`).
   *
   * @throws InvalidArgumentError (`LB_SEGMENTS_INVALID_ARGUMENT`) outside [0, count).
   */
  markDone(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new InvalidArgumentError(
        'index',
        index,
        `Fragment ${index} is not in [0, ${this.count})`,
      );
    }
    this.#done.add(index);
  }

  /** The fragment plan the manifest's bitmap refers to. */
  plan(): FragmentPlan {
    return planWithFragmentSize(this.file.size, this.fragmentSize);
  }

  /**
   * Throws unless `remote` is the file this manifest describes. Size and fragment size must be
   * equal. When both sides know the SHA-256, the digests decide: equal digests prove equal bytes,
   * and different mirrors may well give the same bytes different etags. Otherwise (no digest on
   * one side or both) only a strong ETag can identify the file: both must be strong and equal.
   *
   * @throws ManifestMismatchError (`LB_SEGMENTS_MANIFEST_MISMATCH`) listing every field that differs;
   *   ManifestUnverifiableError (`LB_SEGMENTS_MANIFEST_UNVERIFIABLE`) when nothing differs but, without
   *   two digests, a side has no strong ETag, so equality cannot be proven.
   */
  assertMatches(remote: RemoteFileIdentity): void {
    const differences: ManifestDifference[] = [];
    if (remote.size !== this.file.size) {
      differences.push({ field: 'size', expected: this.file.size, actual: remote.size });
    }
    if (remote.fragmentSize !== undefined && remote.fragmentSize !== this.fragmentSize) {
      differences.push({
        field: 'fragmentSize',
        expected: this.fragmentSize,
        actual: remote.fragmentSize,
      });
    }
    const remoteSha = remote.sha256 ?? null;
    let unverifiable: ManifestUnverifiableError | undefined;
    if (remoteSha !== null && this.file.sha256 !== null) {
      if (remoteSha !== this.file.sha256) {
        differences.push({ field: 'sha256', expected: this.file.sha256, actual: remoteSha });
      }
    } else if (!isStrongEtag(this.file.etag)) {
      unverifiable = new ManifestUnverifiableError(
        'manifest',
        this.file.etag === '' ? 'missing-etag' : 'weak-etag',
        this.file.etag,
      );
    } else if (!isStrongEtag(remote.etag)) {
      unverifiable = new ManifestUnverifiableError(
        'remote',
        remote.etag === undefined || remote.etag === '' ? 'missing-etag' : 'weak-etag',
        remote.etag ?? '',
      );
    } else if (remote.etag !== this.file.etag) {
      differences.push({ field: 'etag', expected: this.file.etag, actual: remote.etag });
    }
    if (differences.length > 0) throw new ManifestMismatchError(differences);
    if (unverifiable !== undefined) throw unverifiable;
  }

  /** The on-disk text with `updatedAt` set to `now`; does not change this object. */
  serialize(now: Date = new Date()): string {
    const body = this.#body(now.toISOString());
    return `${JSON.stringify({ ...body, checksum: checksumOf(body) }, null, 2)}\n`;
  }

  /** Saves atomically (see `writeFileAtomic`) and sets `updatedAt` to `now`. */
  async save(path: string, io: ManifestIO = nodeManifestIO, now: Date = new Date()): Promise<void> {
    const text = this.serialize(now);
    await io.writeFileAtomic(path, new TextEncoder().encode(text));
    this.#updatedAt = now.toISOString();
  }

  #body(updatedAt: string): Record<string, unknown> {
    return {
      version: MANIFEST_VERSION,
      file: { ...this.file },
      fragmentSize: this.fragmentSize,
      sources: [...this.#sources],
      done: this.#done.toBase64(),
      updatedAt,
    };
  }
}

/** base64 SHA-256 of the canonical JSON of every field but `checksum`. */
function checksumOf(body: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64');
}

function countOf(size: number, fragmentSize: number): number {
  return (size - (size % fragmentSize)) / fragmentSize + (size % fragmentSize === 0 ? 0 : 1);
}

function fileProblem(file: Record<string, unknown> | ManifestFile): string | undefined {
  const f = file as Record<string, unknown>;
  if (typeof f['name'] !== 'string' || f['name'] === '') return 'file.name';
  if (!Number.isSafeInteger(f['size']) || (f['size'] as number) < 0) return 'file.size';
  if (typeof f['etag'] !== 'string') return 'file.etag';
  // Present on disk: a base64 SHA-256, or null when the file's digest is unknown.
  const sha256 = f['sha256'];
  if (sha256 !== null && (typeof sha256 !== 'string' || !SHA256_BASE64_PATTERN.test(sha256))) {
    return 'file.sha256';
  }
  if (f['lastModified'] !== undefined && typeof f['lastModified'] !== 'string') {
    return 'file.lastModified';
  }
  return undefined;
}

/** `required`: on disk every field is present; `create()` defaults `sources` and `updatedAt`. */
function scalarProblem(
  record: Record<string, unknown> | ManifestInit,
  required: boolean,
): string | undefined {
  const r = record as Record<string, unknown>;
  if (!Number.isSafeInteger(r['fragmentSize']) || (r['fragmentSize'] as number) < 1) {
    return 'fragmentSize';
  }
  const sources = r['sources'];
  if (sources !== undefined || required) {
    if (!Array.isArray(sources)) return 'sources';
    const bad = sources.findIndex((s) => typeof s !== 'string');
    if (bad >= 0) return `sources[${bad}]`;
  }
  const updatedAt = r['updatedAt'];
  if (updatedAt !== undefined || required) {
    if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt))) return 'updatedAt';
  }
  return undefined;
}

function fieldValue(init: ManifestInit, field: string): unknown {
  let value: unknown = init;
  for (const part of field.split(/[.[\]]/).filter(Boolean)) {
    value = (value as Record<string, unknown> | undefined)?.[part];
  }
  return value;
}

function freezeFile(file: ManifestFile): ManifestFile {
  const { name, size, etag, sha256, lastModified } = file;
  return Object.freeze(
    lastModified === undefined
      ? { name, size, etag, sha256 }
      : { name, size, etag, sha256, lastModified },
  );
}
