/**
 * Reads lb-server's status block (virtual mode), printed at start and every `-i` seconds:
 *
 *     Server k: Port: <port> Status: <dead/alive>, To Shutdown Server k Enter: Ek
 *
 * The demo takes the ports from the first block, and echoes a later block only when it differs
 * from the last one shown, so the reader sees "Status: dead" without a block every second.
 */

const STATUS_LINE = /^Server (\d+): Port: (\d+) Status: (alive|dead), /;

export interface ServerStatus {
  server: number;
  port: number;
  alive: boolean;
}

export function parseStatusLine(line: string): ServerStatus | undefined {
  const match = STATUS_LINE.exec(line);
  if (match === null) return undefined;
  return { server: Number(match[1]), port: Number(match[2]), alive: match[3] === 'alive' };
}

export interface StatusBlock {
  statuses: ServerStatus[];
  lines: string[];
}

/** Groups status lines into blocks of `count` (Server 1 … Server count). */
export class StatusBlockReader {
  readonly #count: number;
  #statuses: ServerStatus[] = [];
  #lines: string[] = [];

  constructor(count: number) {
    this.#count = count;
  }

  /** Feeds one stdout line; returns the block it completes, if any. */
  push(line: string): StatusBlock | undefined {
    const status = parseStatusLine(line);
    if (status === undefined) return undefined;
    // Server 1 always opens a block: a partial one (never expected) is dropped, not merged.
    if (status.server === 1) {
      this.#statuses = [];
      this.#lines = [];
    }
    this.#statuses.push(status);
    this.#lines.push(line);
    if (status.server !== this.#count || this.#statuses.length !== this.#count) return undefined;
    const block = { statuses: this.#statuses, lines: this.#lines };
    this.#statuses = [];
    this.#lines = [];
    return block;
  }
}
