import { createHash } from 'node:crypto';
import { SHA256_BASE64_PATTERN, type Sha256Base64 } from './digest.js';
import { FragmentMapInvalidError, FragmentMapVersionError } from './errors.js';
import {
  type FragmentPlan,
  type FragmentPolicy,
  planFragments,
  planWithFragmentSize,
} from './plan-fragments.js';
import { MAX_READ_SIZE, type RandomAccessSource, readExactly } from './random-access-source.js';

/** The only fragment map format version this library writes and reads. */
export const FRAGMENT_MAP_VERSION = 1;

/**
 * Where a server serves the map of the file at URL path `/p`: `/.lb/fragment-map/p`. A reserved
 * prefix (rather than a suffix like `/p.map`) cannot collide with a real file next to `p`.
 */
export const FRAGMENT_MAP_PATH_PREFIX = '/.lb/fragment-map';

/** Media type of a served fragment map. */
export const FRAGMENT_MAP_CONTENT_TYPE = 'application/json';

/**
 * The server's description of one file: what it is (`size`, `etag`, whole-file `sha256`) and the
 * SHA-256 of each fragment of `planWithFragmentSize(size, fragmentSize)`, so a client can verify
 * every fragment it downloads from any mirror. Digests are base64 (as in RFC 9530 `Repr-Digest`).
 */
export interface FragmentMap {
  readonly version: 1;
  /** File name (one path segment: no `/`, `\`, NUL, `.` or `..`), safe to use as a local name. */
  readonly name: string;
  readonly size: number;
  /** The entity tag the server sends for this file, with its quotes: `"abc"` or `W/"abc"`. */
  readonly etag: string;
  readonly sha256: Sha256Base64;
  readonly fragmentSize: number;
  /** `fragments[i]` is the SHA-256 of fragment `i`; the length is the plan's fragment count. */
  readonly fragments: readonly Sha256Base64[];
}

/** What the server knows about a file besides its bytes. */
export interface FragmentMapMeta {
  readonly name: string;
  readonly etag: string;
  /** How to cut the file (default: 1 MiB fragments, at most 10 000 of them). */
  readonly policy?: FragmentPolicy;
}

const EMPTY_SHA256 = createHash('sha256').digest('base64');
// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE
const ENTITY_TAG_PATTERN = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

/** The URL path of the fragment map of the file at URL path `filePath` (which starts with `/`). */
export function fragmentMapPath(filePath: string): string {
  return FRAGMENT_MAP_PATH_PREFIX + (filePath.startsWith('/') ? filePath : `/${filePath}`);
}

/**
 * Hashes `source` fragment by fragment in one sequential pass, reading at most 1 MiB at a time
 * (the next piece is read while the current one is hashed), so memory stays bounded for any size.
 *
 * @throws InvalidPlanError for a bad policy, FragmentMapInvalidError for a bad name or etag,
 *   ShortReadError when the file shrinks while it is read.
 */
export async function buildFragmentMap(
  source: RandomAccessSource,
  meta: FragmentMapMeta,
): Promise<FragmentMap> {
  const plan = planFragments(source.size, meta.policy);
  const whole = createHash('sha256');
  const fragments: Sha256Base64[] = [];
  const pieces = piecesOf(plan);
  let current = pieces.next();
  let pending = current.done ? undefined : readPiece(source, current.value);
  let fragmentHash = createHash('sha256');
  while (!current.done) {
    const piece = current.value;
    const data = await pending!;
    current = pieces.next();
    pending = current.done ? undefined : readPiece(source, current.value);
    whole.update(data);
    fragmentHash.update(data);
    if (piece.last) {
      fragments.push(fragmentHash.digest('base64'));
      fragmentHash = createHash('sha256');
    }
  }
  const map: FragmentMap = {
    version: FRAGMENT_MAP_VERSION,
    name: meta.name,
    size: plan.size,
    etag: meta.etag,
    sha256: whole.digest('base64'),
    fragmentSize: plan.fragmentSize,
    fragments,
  };
  // Never produce what a client would reject.
  return validateFragmentMap(map);
}

/** The JSON text a server sends: fields in a fixed order, no whitespace. */
export function serializeFragmentMap(map: FragmentMap): string {
  const { version, name, size, etag, sha256, fragmentSize, fragments } = map;
  return JSON.stringify({ version, name, size, etag, sha256, fragmentSize, fragments });
}

/**
 * Parses and strictly validates a fragment map received from a server. Unknown extra fields are
 * ignored (so servers can add optional ones); every known field must be exactly right.
 *
 * @throws FragmentMapInvalidError (`LB_SEGMENTS_FRAGMENT_MAP_INVALID`, `field` names the first problem),
 *   FragmentMapVersionError (`LB_SEGMENTS_FRAGMENT_MAP_VERSION`) for a version other than 1.
 */
export function parseFragmentMap(json: string | Uint8Array): FragmentMap {
  let text: string;
  try {
    text = typeof json === 'string' ? json : new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw new FragmentMapInvalidError('json', 'Invalid fragment map: not UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FragmentMapInvalidError('json', 'Invalid fragment map: not valid JSON');
  }
  return validateFragmentMap(value);
}

/** Validates an already parsed value; returns a fresh, frozen FragmentMap. */
export function validateFragmentMap(value: unknown): FragmentMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FragmentMapInvalidError('root', 'Invalid fragment map: not a JSON object');
  }
  const v = value as Record<string, unknown>;
  const version = v['version'];
  if (!Number.isSafeInteger(version)) throw new FragmentMapInvalidError('version');
  if (version !== FRAGMENT_MAP_VERSION) throw new FragmentMapVersionError(version as number);

  const name = v['name'];
  if (!isSafeFileName(name)) throw new FragmentMapInvalidError('name');
  const size = v['size'];
  if (!Number.isSafeInteger(size) || (size as number) < 0) {
    throw new FragmentMapInvalidError('size');
  }
  const etag = v['etag'];
  if (typeof etag !== 'string' || etag.length > 1024 || !ENTITY_TAG_PATTERN.test(etag)) {
    throw new FragmentMapInvalidError('etag');
  }
  const sha256 = v['sha256'];
  if (!isSha256(sha256) || (size === 0 && sha256 !== EMPTY_SHA256)) {
    throw new FragmentMapInvalidError('sha256');
  }
  const fragmentSize = v['fragmentSize'];
  if (!Number.isSafeInteger(fragmentSize) || (fragmentSize as number) < 1) {
    throw new FragmentMapInvalidError('fragmentSize');
  }
  const fragments = v['fragments'];
  if (!Array.isArray(fragments)) throw new FragmentMapInvalidError('fragments');
  const s = size as number;
  const f = fragmentSize as number;
  const count = (s - (s % f)) / f + (s % f === 0 ? 0 : 1);
  if (fragments.length !== count) {
    throw new FragmentMapInvalidError(
      'fragments',
      `Invalid fragment map: ${fragments.length} fragment digests for ${count} fragments`,
    );
  }
  for (let i = 0; i < count; i++) {
    if (!isSha256(fragments[i])) throw new FragmentMapInvalidError(`fragments[${i}]`);
  }
  // With a single fragment its digest is the file's: a cheap consistency check.
  if (count === 1 && fragments[0] !== sha256) throw new FragmentMapInvalidError('fragments[0]');

  return Object.freeze({
    version: FRAGMENT_MAP_VERSION,
    name: name as string,
    size: s,
    etag,
    sha256: sha256 as string,
    fragmentSize: f,
    fragments: Object.freeze([...(fragments as string[])]),
  });
}

/** The plan a client follows for this map: exactly the server's fragment size, no growth. */
export function planForMap(map: FragmentMap): FragmentPlan {
  return planWithFragmentSize(map.size, map.fragmentSize);
}

interface Piece {
  readonly position: number;
  readonly length: number;
  /** The last piece of its fragment. */
  readonly last: boolean;
}

function* piecesOf(plan: FragmentPlan): Generator<Piece, void> {
  for (const fragment of plan.fragments) {
    for (let offset = 0; offset < fragment.length; offset += MAX_READ_SIZE) {
      const length = Math.min(MAX_READ_SIZE, fragment.length - offset);
      yield {
        position: fragment.start + offset,
        length,
        last: offset + length === fragment.length,
      };
    }
  }
}

function readPiece(source: RandomAccessSource, piece: Piece): Promise<Uint8Array> {
  const read = readExactly(source, piece.position, piece.length);
  // The prefetched read may reject before it is awaited; it is awaited on the next iteration.
  read.catch(() => {});
  return read;
}

function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256_BASE64_PATTERN.test(value);
}

/** True for one path segment that is safe to create: no separators, controls, `.` or `..`. */
export function isSafeFileName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= 255 &&
    value !== '.' &&
    value !== '..' &&
    !/[/\\\x00-\x1f\x7f]/.test(value)
  );
}
