/**
 * Turns a request-target into a path relative to the served root, or says why it must not be
 * served. Decoding happens per segment, after splitting on literal `/`, so an encoded separator can
 * never create a segment boundary; `..` is resolved lexically, so the result can be joined to the
 * root without ever leaving it. The outcome table is in the package README.
 */

export type SafePathRejection =
  | 'traversal'
  | 'nul'
  | 'backslash'
  | 'encoded-slash'
  | 'bad-encoding'
  | 'bad-target'
  | 'dotfile';

export type SafePathResult =
  | {
      ok: true;
      /** Decoded, normalised, relative: `a/b.txt`, no leading slash, `''` for the root. */
      path: string;
      /** The raw query after `?` (not decoded), `''` when absent. */
      query: string;
      /** The target names a directory: it ends with `/` (or `/.`, `/..`), or is the root. */
      isDirectory: boolean;
    }
  | { ok: false; reason: SafePathRejection; status: 400 | 403 | 404 };

type Rejection = Extract<SafePathResult, { ok: false }>;

const REJECTIONS: Record<SafePathRejection, Rejection> = {
  traversal: Object.freeze({ ok: false, reason: 'traversal', status: 403 }),
  nul: Object.freeze({ ok: false, reason: 'nul', status: 400 }),
  backslash: Object.freeze({ ok: false, reason: 'backslash', status: 403 }),
  'encoded-slash': Object.freeze({ ok: false, reason: 'encoded-slash', status: 400 }),
  'bad-encoding': Object.freeze({ ok: false, reason: 'bad-encoding', status: 400 }),
  'bad-target': Object.freeze({ ok: false, reason: 'bad-target', status: 400 }),
  dotfile: Object.freeze({ ok: false, reason: 'dotfile', status: 404 }),
};

/** Visible ASCII only; a space, control or raw non-ASCII byte cannot be in a request-target. */
const TARGET_CHARS = /^[\x21-\x7e]*$/;
/** `http://` or `https://`, any case (the scheme is case-insensitive). */
const ABSOLUTE_FORM = /^https?:\/\//i;
const HEX = /^[0-9A-Fa-f]{2}$/;
/** C0 controls and DEL other than NUL: legal UTF-8, but no business in a file name we serve. */
const CONTROL = /[\x01-\x1f\x7f]/;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function reject(reason: SafePathRejection): Rejection {
  return REJECTIONS[reason];
}

/** Percent-decodes one segment, or says why it cannot be a file name. */
function decodeSegment(raw: string): string | Rejection {
  if (raw.includes('\\')) return reject('backslash');
  if (!raw.includes('%')) return raw;
  const bytes = new Uint8Array(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code !== 0x25) {
      bytes[length++] = code;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return reject('bad-encoding');
    const byte = Number.parseInt(hex, 16);
    if (byte === 0x00) return reject('nul');
    if (byte === 0x2f) return reject('encoded-slash');
    if (byte === 0x5c) return reject('backslash');
    bytes[length++] = byte;
    i += 2;
  }
  let decoded: string;
  try {
    // fatal: overlong forms (%c0%ae), surrogates and truncated sequences all throw.
    decoded = utf8.decode(bytes.subarray(0, length));
  } catch {
    return reject('bad-encoding');
  }
  return CONTROL.test(decoded) ? reject('bad-encoding') : decoded;
}

/** Splits an origin-form or absolute-form target into its raw path and query. */
function splitTarget(target: string): { path: string; query: string } | null {
  let rest = target;
  if (ABSOLUTE_FORM.test(rest)) {
    const afterScheme = rest.indexOf('//') + 2;
    let authorityEnd = afterScheme;
    while (authorityEnd < rest.length && rest[authorityEnd] !== '/' && rest[authorityEnd] !== '?') {
      authorityEnd++;
    }
    if (authorityEnd === afterScheme) return null;
    rest = rest.slice(authorityEnd);
    if (rest === '' || rest[0] === '?') rest = `/${rest}`;
  }
  if (rest[0] !== '/') return null;
  const q = rest.indexOf('?');
  return q === -1
    ? { path: rest, query: '' }
    : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/**
 * Decodes a request-target into a safe relative path. Empty segments are merged (`//a` is `a`,
 * like nginx's merge_slashes); `.` is dropped; `..` removes the previous segment and is allowed
 * while it stays inside the root (like nginx), but climbing above the root is `traversal`.
 * Segments are checked after normalisation, so `/a/../.git` is a dotfile and `/.x/../a` is `a`.
 */
export function decodeRequestPath(target: string): SafePathResult {
  if (typeof target !== 'string' || target === '' || !TARGET_CHARS.test(target)) {
    return reject('bad-target');
  }
  if (target.includes('#')) return reject('bad-target');
  const split = splitTarget(target);
  if (split === null) return reject('bad-target');

  const segments: string[] = [];
  // Whether the last raw segment names a directory: '' (trailing slash), '.' or '..'.
  let endsAsDirectory = true;
  for (const raw of split.path.split('/')) {
    endsAsDirectory = true;
    if (raw === '') continue;
    const segment = decodeSegment(raw);
    if (typeof segment !== 'string') return segment;
    if (segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return reject('traversal');
      segments.pop();
      continue;
    }
    endsAsDirectory = false;
    segments.push(segment);
  }
  for (const segment of segments) {
    if (segment.startsWith('.')) return reject('dotfile');
  }
  const isDirectory = endsAsDirectory || segments.length === 0;
  return { ok: true, path: segments.join('/'), query: split.query, isDirectory };
}
