/**
 * The table printed after a performance test: the servers that passed, fastest first, with the
 * share of traffic the strategy will give each; then the servers that were left out, each named
 * with its reason. Units are binary (KiB/s, MiB/s) like lb-server's `--rate`. With `--json` the
 * same ranking is one `ranking` event, with the figures rounded as `GET /rep` rounds them.
 */

export interface RankingRow {
  server: string;
  /** Whole transfer time of the probe. */
  totalMs: number;
  bytesPerSec: number;
  /** Expected traffic share in [0, 1] from the strategy. */
  share: number;
}

export interface LeftOutRow {
  server: string;
  /** `CODE: message` of the failed probe. */
  reason: string;
}

/** `1.5 MiB/s`, `812.0 KiB/s`, `96 B/s`. */
export function formatThroughput(bytesPerSec: number): string {
  if (bytesPerSec >= 1024 ** 3) return `${(bytesPerSec / 1024 ** 3).toFixed(1)} GiB/s`;
  if (bytesPerSec >= 1024 ** 2) return `${(bytesPerSec / 1024 ** 2).toFixed(1)} MiB/s`;
  if (bytesPerSec >= 1024) return `${(bytesPerSec / 1024).toFixed(1)} KiB/s`;
  return `${Math.round(bytesPerSec)} B/s`;
}

/** `16.8 ms`, `1.25 s`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/**
 * Renders the ranking. `ranked` must already be in rank order; the caller decides the order so
 * the table and the `Link` header of redirects always agree.
 */
export function formatRankingTable(
  probePath: string,
  ranked: readonly RankingRow[],
  leftOut: readonly LeftOutRow[],
): string {
  const total = ranked.length + leftOut.length;
  const lines = [
    `performance test: GET ${probePath} from ${total} server${total === 1 ? '' : 's'}`,
  ];
  const header = ['rank', 'server', 'time', 'throughput', 'share'];
  const cells = ranked.map((row, index) => [
    String(index + 1),
    row.server,
    formatDuration(row.totalMs),
    formatThroughput(row.bytesPerSec),
    formatShare(row.share),
  ]);
  if (cells.length > 0) {
    const align = ['right', 'left', 'right', 'right', 'right'] as const;
    const widths = header.map((title, column) =>
      Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)),
    );
    const render = (row: readonly string[]) =>
      row
        .map((cell, column) => pad(cell, widths[column] ?? 0, align[column] ?? 'left'))
        .join('  ')
        .trimEnd();
    lines.push(render(header));
    for (const row of cells) lines.push(render(row));
  } else {
    lines.push('no server passed');
  }
  for (const row of leftOut) lines.push(`left out: ${row.server} (${row.reason})`);
  return lines.join('\n');
}

/** `--json`: the ranking as one event (one line of stdout). */
export interface RankingEvent {
  event: 'ranking';
  probePath: string;
  /** In rank order; `rank` is 1-based. */
  servers: Array<{
    rank: number;
    server: string;
    totalMs: number;
    bytesPerSec: number;
    share: number;
  }>;
  leftOut: LeftOutRow[];
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function rankingEvent(
  probePath: string,
  ranked: readonly RankingRow[],
  leftOut: readonly LeftOutRow[],
): RankingEvent {
  return {
    event: 'ranking',
    probePath,
    servers: ranked.map((row, index) => ({
      rank: index + 1,
      server: row.server,
      totalMs: round(row.totalMs, 3),
      bytesPerSec: Math.round(row.bytesPerSec),
      share: round(row.share, 6),
    })),
    leftOut: leftOut.map(({ server, reason }) => ({ server, reason })),
  };
}
