/**
 * Entity tags (RFC 9110 §8.8.3) and their two comparison functions (§8.8.3.2): strong comparison
 * for If-Range and If-Match, weak comparison for If-None-Match.
 */

export interface EntityTag {
  weak: boolean;
  /** The opaque-tag including its double quotes, e.g. `"abc"`. */
  opaque: string;
}

/** etagc = %x21 / %x23-7E / obs-text — anything visible but the double quote. */
const ETAGC = /^[\x21\x23-\x7e\x80-\xff]*$/;

/** Parses one entity-tag (`"x"` or `W/"x"`); null when malformed. `W/` is case-sensitive. */
export function parseEntityTag(value: string): EntityTag | null {
  const weak = value.startsWith('W/');
  const opaque = weak ? value.slice(2) : value;
  if (opaque.length < 2 || opaque[0] !== '"' || opaque[opaque.length - 1] !== '"') return null;
  if (!ETAGC.test(opaque.slice(1, -1))) return null;
  return { weak, opaque };
}

/** Is `tag` a well-formed strong entity-tag? */
export function isStrongEtag(tag: string): boolean {
  const parsed = parseEntityTag(tag);
  return parsed !== null && !parsed.weak;
}

/** Strong comparison: both strong and the same opaque-tag. */
export function strongEtagMatch(a: string, b: string): boolean {
  const x = parseEntityTag(a);
  const y = parseEntityTag(b);
  return x !== null && y !== null && !x.weak && !y.weak && x.opaque === y.opaque;
}

/** Weak comparison: the same opaque-tag, whichever is weak. */
export function weakEtagMatch(a: string, b: string): boolean {
  const x = parseEntityTag(a);
  const y = parseEntityTag(b);
  return x !== null && y !== null && x.opaque === y.opaque;
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Parses `*` or a comma-separated list of entity-tags (If-None-Match, If-Match). Empty list
 * elements are skipped as RFC 9110 §5.6.1 requires; a comma inside the quotes belongs to the tag.
 * Returns null when the value is malformed, so the caller can ignore the condition.
 */
export function parseEtagList(value: string): '*' | EntityTag[] | null {
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  if (text === '*') return '*';
  const tags: EntityTag[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isOws(code) || code === 0x2c) {
      i++;
      continue;
    }
    const weak = text.startsWith('W/', i);
    const open = weak ? i + 2 : i;
    if (text[open] !== '"') return null;
    const close = text.indexOf('"', open + 1);
    if (close === -1) return null;
    const tag = parseEntityTag(text.slice(i, close + 1));
    if (tag === null) return null;
    tags.push(tag);
    i = close + 1;
    while (i < text.length && isOws(text.charCodeAt(i))) i++;
    if (i < text.length && text[i] !== ',') return null;
  }
  return tags.length === 0 ? null : tags;
}

/**
 * Does an If-None-Match value match the current representation (so a GET/HEAD gets 304)?
 * `*` matches any existing representation; a list matches by weak comparison. A malformed
 * value, or a representation without an ETag, never matches a list.
 */
export function matchesIfNoneMatch(ifNoneMatch: string, currentEtag: string | undefined): boolean {
  const list = parseEtagList(ifNoneMatch);
  if (list === null) return false;
  if (list === '*') return true;
  if (currentEtag === undefined) return false;
  const current = parseEntityTag(currentEtag);
  if (current === null) return false;
  return list.some((tag) => tag.opaque === current.opaque);
}
