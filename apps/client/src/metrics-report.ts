/**
 * The periodic metrics report. The line format is fixed by the issue, character for character,
 * because people and scripts read it:
 *
 *     Server 1: <downloaded_bytes>/<total_bytes>, download speed: <speed>kb/s
 *     ...
 *     Total: <downloaded_bytes>/<total_bytes>, download speed: <speed>kb/s
 *
 * Server k is the k-th port (or URL) given; its bytes are every body byte received from it (also
 * bytes later discarded: a lost endgame race, a fragment that failed verification). Total counts
 * verified bytes on disk, including those a resumed download started with. Speeds are kilobytes
 * (1000 bytes) per second over the time since the previous report, with two decimals.
 */

/** Counters at one instant. */
export interface TransferSnapshot {
  /** Monotonic milliseconds (performance.now()). */
  atMs: number;
  /** File size in bytes. */
  size: number;
  /** Verified bytes on disk. */
  verifiedBytes: number;
  /** Body bytes received from server k at index k − 1. */
  serverBytes: readonly number[];
}

export interface RateLine {
  bytes: number;
  /** Kilobytes (1000 bytes) per second over the interval. */
  kilobytesPerSecond: number;
}

/** One report: what the lines show, with the numbers unrounded. */
export interface MetricsReport {
  size: number;
  /** Length of the interval the speeds were measured over. */
  intervalMs: number;
  servers: RateLine[];
  total: RateLine;
}

/** kB/s (1000 bytes) from a byte count over milliseconds; 0 for an empty interval. */
export function kilobytesPerSecond(bytes: number, intervalMs: number): number {
  if (!(intervalMs > 0)) return 0;
  // bytes per ms is exactly kilobytes per second.
  return Math.max(0, bytes) / intervalMs;
}

/** Turns successive snapshots into reports: each speed covers the time since the previous one. */
export class MetricsMeter {
  #previous: TransferSnapshot;

  constructor(start: TransferSnapshot) {
    this.#previous = start;
  }

  report(now: TransferSnapshot): MetricsReport {
    const previous = this.#previous;
    this.#previous = now;
    const intervalMs = now.atMs - previous.atMs;
    return {
      size: now.size,
      intervalMs,
      servers: now.serverBytes.map((bytes, k) => ({
        bytes,
        kilobytesPerSecond: kilobytesPerSecond(bytes - (previous.serverBytes[k] ?? 0), intervalMs),
      })),
      total: {
        bytes: now.verifiedBytes,
        kilobytesPerSecond: kilobytesPerSecond(
          now.verifiedBytes - previous.verifiedBytes,
          intervalMs,
        ),
      },
    };
  }
}

/** `12.34`: the speed as printed. */
export function formatSpeed(kilobytesPerSecond: number): string {
  return kilobytesPerSecond.toFixed(2);
}

/** `<label>: <bytes>/<size>, download speed: <speed>kb/s` */
export function formatRateLine(label: string, line: RateLine, size: number): string {
  return `${label}: ${line.bytes}/${size}, download speed: ${formatSpeed(line.kilobytesPerSecond)}kb/s`;
}

/** The whole block: one line per server, then Total; every line ends with a newline. */
export function formatMetricsLines(report: MetricsReport): string {
  let text = '';
  for (const [k, line] of report.servers.entries()) {
    text += `${formatRateLine(`Server ${k + 1}`, line, report.size)}\n`;
  }
  text += `${formatRateLine('Total', report.total, report.size)}\n`;
  return text;
}
