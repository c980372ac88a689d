/**
 * The status block of the virtual-server mode. The format is fixed by the issue, character for
 * character, because people and scripts read it:
 *
 *     Server 1: Port: 8001 Status: alive, To Shutdown Server 1 Enter: E1
 */

export interface ServerStatus {
  /** 1-based server number. */
  number: number;
  port: number;
  alive: boolean;
}

export function formatStatusLine(status: ServerStatus): string {
  const k = status.number;
  return `Server ${k}: Port: ${status.port} Status: ${status.alive ? 'alive' : 'dead'}, To Shutdown Server ${k} Enter: E${k}`;
}

/** The whole block, one line per server, each ending with a newline. */
export function formatStatusBlock(statuses: readonly ServerStatus[]): string {
  return statuses.map((status) => `${formatStatusLine(status)}\n`).join('');
}

/** `listening on http://127.0.0.1:8001`; IPv6 hosts are bracketed so the URL works. */
export function formatListeningLine(host: string, port: number): string {
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `listening on http://${shownHost}:${port}`;
}
