/**
 * Where a probe goes: a host and a port, written `host:port` (`[v6]:port` for IPv6) in results and
 * events so a target reads the same everywhere.
 */
import { isIP } from 'node:net';
import { InvalidProbeOptionError } from './errors.js';

export interface ProbeTarget {
  /** Name or address; IPv6 with or without brackets. */
  host: string;
  port: number;
}

export interface ResolvedTarget {
  /** `host:port`, IPv6 in brackets. */
  id: string;
  /** Host for `net.connect`: IPv6 without brackets. */
  connectHost: string;
  port: number;
}

/** Checks a target and gives it its canonical `host:port` id. */
export function resolveTarget(target: ProbeTarget | string): ResolvedTarget {
  let host: string;
  let port: number;
  if (typeof target === 'string') {
    const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(target);
    if (match === null) throw new InvalidProbeOptionError('target', target, 'expected "host:port"');
    host = match[1] ?? '';
    port = Number(match[2]);
  } else {
    if (target === null || typeof target !== 'object') {
      throw new InvalidProbeOptionError('target', target, 'expected { host, port } or "host:port"');
    }
    host = target.host;
    port = target.port;
  }
  if (typeof host !== 'string' || host === '') {
    throw new InvalidProbeOptionError('target.host', host, 'expected a host name or address');
  }
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidProbeOptionError('target.port', port, 'expected an integer from 1 to 65535');
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const id = isIP(bare) === 6 ? `[${bare}]:${port}` : `${bare}:${port}`;
  return { id, connectHost: bare, port };
}
