/**
 * One server line — `host:port [weight=N] [region=NAME]` — as used by the config file, the
 * positional arguments and the admin API's `/add` body. Parsing returns the problem as text so each
 * caller can say where the line came from.
 */

/** A server to balance over, as configured. */
export interface ServerSpec {
  /** `host:port`, with IPv6 hosts in brackets: the server's identity everywhere (logs, /rep, metrics). */
  id: string;
  /** Host as it goes into URLs: a name, an IPv4 address, or `[v6]` with the brackets. */
  host: string;
  port: number;
  /** Relative capacity handed to the strategy; 1 unless configured. */
  weight: number;
  /** Region name used by `/r/<region>/...` routes; undefined when not configured. */
  region: string | undefined;
}

export type ServerSpecResult = { ok: true; spec: ServerSpec } | { ok: false; problem: string };

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** Hex groups and colons, optionally ending in a dotted quad; validated further by the count of groups. */
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const PORT = /^[0-9]{1,5}$/;
/** A region appears in URLs (`/r/<region>/`), so it stays within unreserved URL characters. */
const REGION = /^[A-Za-z0-9_-]{1,63}$/;
const WEIGHT = /^(?:[0-9]+(?:\.[0-9]+)?)$/;
const MAX_WEIGHT = 1_000_000;

function fail(problem: string): ServerSpecResult {
  return { ok: false, problem };
}

function looksLikeIpv6(text: string): boolean {
  if (!IPV6.test(text) || !text.includes(':')) return false;
  const groups = text.split('::');
  return groups.length <= 2;
}

/** Splits `host:port` / `[v6]:port` and checks both halves. */
export function parseServerAddress(
  text: string,
): { ok: true; host: string; port: number } | { ok: false; problem: string } {
  let host: string;
  let portText: string;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) {
    return { ok: false, problem: `invalid address "${text}" (write host:port, without a scheme)` };
  }
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return { ok: false, problem: `invalid address "${text}" (unclosed "[")` };
    host = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (!rest.startsWith(':')) return { ok: false, problem: `missing port in "${text}"` };
    portText = rest.slice(1);
    if (!looksLikeIpv6(host.slice(1, -1))) return { ok: false, problem: `invalid host "${host}"` };
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return { ok: false, problem: `missing port in "${text}"` };
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) {
      return { ok: false, problem: `invalid address "${text}" (write IPv6 hosts as [addr]:port)` };
    }
    if (!HOST_NAME.test(host)) return { ok: false, problem: `invalid host "${host}"` };
  }
  if (portText === '') return { ok: false, problem: `missing port in "${text}"` };
  const port = Number(portText);
  if (!PORT.test(portText) || port < 1 || port > 65_535) {
    return { ok: false, problem: `invalid port "${portText}"` };
  }
  return { ok: true, host: host.toLowerCase(), port };
}

/**
 * Parses the words of one server line: the address first, then `key=value` options.
 * The caller has already removed comments and split on whitespace.
 */
export function parseServerWords(words: readonly string[]): ServerSpecResult {
  const [address, ...options] = words;
  if (address === undefined) return fail('empty server line');
  if (address.includes('=')) return fail(`expected host:port before options, got "${address}"`);
  const parsed = parseServerAddress(address);
  if (!parsed.ok) return parsed;
  let weight: number | undefined;
  let region: string | undefined;
  for (const option of options) {
    const equals = option.indexOf('=');
    if (equals < 0) return fail(`unexpected "${option}" (options are weight=N and region=NAME)`);
    const key = option.slice(0, equals);
    const value = option.slice(equals + 1);
    if (key === 'weight') {
      if (weight !== undefined) return fail('weight given twice');
      const number = Number(value);
      if (!WEIGHT.test(value) || !(number > 0) || number > MAX_WEIGHT) {
        return fail(`invalid weight "${value}" (a number above 0, at most ${MAX_WEIGHT})`);
      }
      weight = number;
    } else if (key === 'region') {
      if (region !== undefined) return fail('region given twice');
      if (!REGION.test(value)) {
        return fail(`invalid region "${value}" (1-63 letters, digits, "-" or "_")`);
      }
      region = value;
    } else {
      return fail(`unknown option "${key}" (options are weight=N and region=NAME)`);
    }
  }
  const { host, port } = parsed;
  return { ok: true, spec: { id: `${host}:${port}`, host, port, weight: weight ?? 1, region } };
}

/** Parses one line of text (`host:port weight=2`); whitespace separates the words. */
export function parseServerLine(line: string): ServerSpecResult {
  return parseServerWords(
    line
      .trim()
      .split(/[ \t]+/)
      .filter((word) => word !== ''),
  );
}
