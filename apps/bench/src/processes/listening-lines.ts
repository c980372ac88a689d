/** The `listening on http://HOST:PORT` line lb-server and lb-balancer print once they listen. */
export interface ListeningAddress {
  host: string;
  port: number;
}

const LISTENING = /^listening on http:\/\/(\[[^\]]+\]|[^:/\s]+):(\d+)\/?\s*$/;

export function parseListeningLine(line: string): ListeningAddress | undefined {
  const match = LISTENING.exec(line);
  if (match === null) return undefined;
  const host = match[1]!.startsWith('[') ? match[1]!.slice(1, -1) : match[1]!;
  return { host, port: Number(match[2]) };
}

/** `host:port`, the form the balancer's config, /rep ids and Locations use. */
export function hostPort(address: ListeningAddress): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}
