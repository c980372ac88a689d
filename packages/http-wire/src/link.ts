/**
 * The Link header (RFC 8288) as lb uses it: the balancer lists the other live mirrors as
 * `Link: <http://host:port/path>; rel=duplicate; pri=N` (RFC 6249), and lb-server points at a
 * file's fragment map with `rel="describedby"`. The reader is a hand-written scanner rather than a
 * split on commas: commas and semicolons are legal inside `<…>` and quoted strings.
 */

export interface LinkValue {
  /** The URI-Reference between `<` and `>`, unresolved. */
  target: string;
  /** Parameter names lower-cased; values unquoted. The first occurrence of a name wins (§3). */
  params: ReadonlyMap<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses one or more Link field values. Malformed link-values are skipped up to the next comma,
 * so one bad entry does not hide the good ones (a client must be liberal in what it reads).
 */
export function parseLinkHeader(values: readonly string[]): LinkValue[] {
  const links: LinkValue[] = [];
  for (const value of values) scanValue(value, links);
  return links;
}

function scanValue(text: string, out: LinkValue[]): void {
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  /** Skips to just after the next comma outside quotes and brackets (error recovery). */
  const skipToNextValue = () => {
    let quoted = false;
    let bracketed = false;
    for (; i < n; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (bracketed) {
        if (c === '>') bracketed = false;
      } else if (c === '"') quoted = true;
      else if (c === '<') bracketed = true;
      else if (c === ',') {
        i++;
        return;
      }
    }
  };

  while (i < n) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (i >= n) return;
    if (text[i] !== '<') {
      skipToNextValue();
      continue;
    }
    const close = text.indexOf('>', i + 1);
    if (close === -1) return;
    const target = text.slice(i + 1, close).trim();
    i = close + 1;
    const params = new Map<string, string>();
    let valid = true;
    for (;;) {
      skipSpace();
      if (i >= n || text[i] === ',') break;
      if (text[i] !== ';') {
        valid = false;
        break;
      }
      i++;
      skipSpace();
      const nameStart = i;
      while (i < n && TOKEN_CHAR.test(text[i]!)) i++;
      const name = text.slice(nameStart, i).toLowerCase();
      if (name === '') {
        valid = false;
        break;
      }
      skipSpace();
      let paramValue = '';
      if (text[i] === '=') {
        i++;
        skipSpace();
        if (text[i] === '"') {
          i++;
          let unquoted = '';
          let closed = false;
          while (i < n) {
            const c = text[i]!;
            if (c === '\\' && i + 1 < n) {
              unquoted += text[i + 1];
              i += 2;
            } else if (c === '"') {
              i++;
              closed = true;
              break;
            } else {
              unquoted += c;
              i++;
            }
          }
          if (!closed) {
            valid = false;
            break;
          }
          paramValue = unquoted;
        } else {
          const valueStart = i;
          while (i < n && TOKEN_CHAR.test(text[i]!)) i++;
          paramValue = text.slice(valueStart, i);
        }
      }
      if (!params.has(name)) params.set(name, paramValue);
    }
    if (valid) out.push({ target, params });
    else skipToNextValue();
  }
}

/** True when the link's `rel` (a space-separated list) contains `relation`, case-insensitively. */
export function hasRelation(link: LinkValue, relation: string): boolean {
  const rel = link.params.get('rel');
  if (rel === undefined) return false;
  const wanted = relation.toLowerCase();
  return rel
    .toLowerCase()
    .split(/[ \t]+/)
    .some((r) => r === wanted);
}

/**
 * The `rel=duplicate` mirrors, resolved against `baseUrl`, ordered by `pri` (lower first, RFC
 * 6249 §3.4; missing pri last), keeping header order among equals. Only http: URLs are kept: the
 * client speaks nothing else.
 */
export function duplicateMirrors(values: readonly string[], baseUrl: string): string[] {
  const found: Array<{ url: string; pri: number; order: number }> = [];
  for (const [order, link] of parseLinkHeader(values).entries()) {
    if (!hasRelation(link, 'duplicate')) continue;
    let url: URL;
    try {
      url = new URL(link.target, baseUrl);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:') continue;
    const priText = link.params.get('pri');
    const pri = priText !== undefined && /^\d+$/.test(priText) ? Number(priText) : Infinity;
    found.push({ url: url.href, pri, order });
  }
  found.sort((a, b) => a.pri - b.pri || a.order - b.order);
  const unique: string[] = [];
  for (const { url } of found) if (!unique.includes(url)) unique.push(url);
  return unique;
}

/** The `rel=describedby` target (lb-server's fragment map), resolved; undefined when absent. */
export function describedByUrl(values: readonly string[], baseUrl: string): string | undefined {
  for (const link of parseLinkHeader(values)) {
    if (!hasRelation(link, 'describedby')) continue;
    try {
      return new URL(link.target, baseUrl).href;
    } catch {}
  }
  return undefined;
}

/**
 * The Link value listing `origins` (already in preference order) as `rel=duplicate` mirrors of
 * `pathAndQuery`, `pri` counting from 1; undefined for no origins. Targets are written as given:
 * callers pass origins and a request-target that hold no `>`.
 */
export function formatDuplicateLinks(
  origins: readonly string[],
  pathAndQuery = '',
): string | undefined {
  if (origins.length === 0) return undefined;
  // Plain concatenation: this runs once per redirect.
  let value = '';
  for (let i = 0; i < origins.length; i++) {
    if (i > 0) value += ', ';
    value += `<${origins[i]}${pathAndQuery}>; rel=duplicate; pri=${i + 1}`;
  }
  return value;
}

/** The Link value pointing at a description of the resource, e.g. lb-server's fragment map. */
export function formatDescribedByLink(target: string): string {
  return `<${target}>; rel="describedby"`;
}
