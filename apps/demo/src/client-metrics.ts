/**
 * Reads lb-client's metrics lines (mode 2), whose format the client fixes character for character:
 *
 *     Server k: <bytes>/<total>, download speed: <speed>kb/s
 *     Total: <bytes>/<total>, download speed: <speed>kb/s
 *
 * The demo uses them to decide when a third of the file has arrived (time to shut a server down)
 * and, from the last block, how many bytes each server delivered.
 */

const RATE_LINE = /^(Server (\d+)|Total): (\d+)\/(\d+), download speed: ([\d.]+)kb\/s$/;

export type MetricsLine =
  | { kind: 'server'; server: number; bytes: number; size: number }
  | { kind: 'total'; bytes: number; size: number };

export function parseMetricsLine(line: string): MetricsLine | undefined {
  const match = RATE_LINE.exec(line);
  if (match === null) return undefined;
  const bytes = Number(match[3]);
  const size = Number(match[4]);
  return match[2] === undefined
    ? { kind: 'total', bytes, size }
    : { kind: 'server', server: Number(match[2]), bytes, size };
}

/** One report: what each server has sent (index k − 1) and the verified total. */
export interface MetricsBlock {
  size: number;
  serverBytes: number[];
  /** Bytes received from all servers (may exceed the size: endgame duplicates). */
  receivedBytes: number;
  verifiedBytes: number;
}

/** Groups metrics lines into blocks; a block ends with its Total line. */
export class MetricsBlockReader {
  #servers: number[] = [];

  /** Feeds one stdout line; returns the block it completes, if any. */
  push(line: string): MetricsBlock | undefined {
    const parsed = parseMetricsLine(line);
    if (parsed === undefined) return undefined;
    if (parsed.kind === 'server') {
      this.#servers[parsed.server - 1] = parsed.bytes;
      return undefined;
    }
    const serverBytes = Array.from(this.#servers, (bytes) => bytes ?? 0);
    this.#servers = [];
    return {
      size: parsed.size,
      serverBytes,
      receivedBytes: serverBytes.reduce((sum, bytes) => sum + bytes, 0),
      verifiedBytes: parsed.bytes,
    };
  }
}
