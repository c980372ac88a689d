/**
 * The one place that reads "this app is listening" from an app's output. Every app's `--json`
 * mode prints `{"event":"listening","url":…}` (lb-server adds `server` in its virtual mode,
 * lb-balancer adds `adminUrl`); that is what the kit waits for. The human line
 * (`listening on URL`, `admin on URL`) is read only where the human output itself is under test.
 */

export interface ListeningEvent {
  event: 'listening';
  url: string;
  /** lb-server's virtual mode: which server (1-based). */
  server?: number;
  /** lb-balancer: the admin listener, or null without `--admin-port`. */
  adminUrl?: string | null;
}

/** The `listening` event on one `--json` stdout line, or undefined for any other line. */
export function parseListeningEvent(line: string): ListeningEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const event = value as Partial<ListeningEvent> | null;
  return event?.event === 'listening' && typeof event.url === 'string'
    ? (event as ListeningEvent)
    : undefined;
}

export interface ListeningLine {
  kind: 'listening' | 'admin';
  url: string;
}

const HUMAN_LINE = /^(listening|admin) on (http:\/\/\S+?)\/?\s*$/;

/** `listening on URL` or `admin on URL` from the human (non-JSON) output. */
export function parseListeningLine(line: string): ListeningLine | undefined {
  const match = HUMAN_LINE.exec(line);
  return match ? { kind: match[1] as ListeningLine['kind'], url: match[2]! } : undefined;
}

export interface Address {
  host: string;
  port: number;
}

/** Host (IPv6 without brackets) and port of an `http://HOST:PORT` URL. */
export function addressOf(url: string): Address {
  const { hostname, port } = new URL(url);
  return { host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port) };
}

/** `host:port`, the form the balancer's arguments, ids and Locations use (IPv6 bracketed). */
export function hostPort(address: Address): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}
