/**
 * What lb-server prints on stdout: the listening lines and the status block of the virtual-server
 * mode, as text (the default) or, with `--json`, as one JSON object per line. The text format is
 * fixed by the issue, character for character, because people and scripts read it:
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

/** `--json`: the status block as one event. */
export interface StatusEvent {
  event: 'status';
  servers: Array<{ server: number; port: number; status: 'alive' | 'dead' }>;
}

export function statusEvent(statuses: readonly ServerStatus[]): StatusEvent {
  return {
    event: 'status',
    servers: statuses.map((status) => ({
      server: status.number,
      port: status.port,
      status: status.alive ? 'alive' : 'dead',
    })),
  };
}

/** `--json`: a listener is open. `server` (1-based) only in the virtual-server mode. */
export interface ListeningEvent {
  event: 'listening';
  server?: number;
  url: string;
}

export function listeningEvent(host: string, port: number, server?: number): ListeningEvent {
  const url = formatListeningLine(host, port).slice('listening on '.length);
  return server === undefined ? { event: 'listening', url } : { event: 'listening', server, url };
}

/** `--json`: the answer to a console command (the same sentence as the text mode prints). */
export interface ReplyEvent {
  event: 'reply';
  message: string;
}

/** One line of `--json` output: the event as compact JSON. */
export function jsonLine(event: StatusEvent | ListeningEvent | ReplyEvent): string {
  return `${JSON.stringify(event)}\n`;
}
