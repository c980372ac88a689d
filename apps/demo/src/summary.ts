/**
 * The summary printed at the end: time per phase, bytes per server of the multi-source download,
 * and the verdict. Pure functions of the results, so tests check the exact lines.
 */
import type { PhaseTiming } from './phase-clock.js';
import { formatRate } from './server-rate.js';

/** `0.1 s`, `14.2 s`: tenths are as precise as a demo's timings deserve. */
export function formatDuration(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** `8 MiB`, `1.5 MiB` */
export function formatMiB(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(2))} MiB`;
}

/** `35%` of `whole`, `0%` for an empty whole. */
export function formatPercent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '0%';
}

export function formatPhaseTimes(timings: readonly PhaseTiming[], totalMs: number): string[] {
  const titleWidth = Math.max(5, ...timings.map((timing) => timing.title.length));
  const row = (label: string, title: string, ms: number) =>
    `  ${label.padEnd(4)} ${title.padEnd(titleWidth)} ${formatDuration(ms).padStart(7)}`;
  return [
    'time per phase:',
    ...timings.map((timing) => row(timing.label, timing.title, timing.ms)),
    row('', 'total', totalMs),
  ];
}

export interface ServerShare {
  server: number;
  /** As given to lb-server's --rate, e.g. `4M`. */
  rate: string;
  /** Body bytes the client received from it in mode 2. */
  bytes: number;
}

export interface ShutDownServer {
  server: number;
  /** Bytes received from all servers when the shutdown was sent; undefined: after the download. */
  atReceivedBytes: number | undefined;
}

export function formatServerBytes(
  shares: readonly ServerShare[],
  size: number,
  shutDown: ShutDownServer,
): string[] {
  const bytesWidth = Math.max(...shares.map((share) => String(share.bytes).length));
  const rateWidth = Math.max(...shares.map((share) => formatRate(share.rate).length));
  const lines = ['bytes per server, download from all servers (mode 2):'];
  for (const share of shares) {
    const when =
      share.server !== shutDown.server
        ? ''
        : shutDown.atReceivedBytes === undefined
          ? '  (shut down after the download)'
          : `  (shut down at ${formatPercent(shutDown.atReceivedBytes, size)} of the file)`;
    lines.push(
      `  Server ${share.server}  ${formatRate(share.rate).padStart(rateWidth)}  ${String(share.bytes).padStart(bytesWidth)} bytes  ${formatPercent(share.bytes, size).padStart(4)}${when}`,
    );
  }
  return lines;
}

export interface DigestCheck {
  /** `via the balancer (mode 1)` */
  label: string;
  sha256: string;
  ok: boolean;
}

/** The last line; the tests and CI look for `verdict: SHA-256 OK`. */
export function formatVerdict(checks: readonly DigestCheck[], fileName: string): string {
  const bad = checks.filter((check) => !check.ok);
  if (bad.length === 0) {
    const what = checks.length === 2 ? 'both downloads match' : 'every download matches';
    return `verdict: SHA-256 OK (${what} ${fileName})`;
  }
  return `verdict: SHA-256 MISMATCH (${bad.map((check) => check.label).join(', ')} differ from ${fileName})`;
}

export function formatDigestChecks(
  checks: readonly DigestCheck[],
  fileName: string,
  sourceSha256: string,
): string[] {
  const width = Math.max(fileName.length, ...checks.map((check) => check.label.length));
  return [
    `${fileName.padEnd(width)}  ${sourceSha256}  (source)`,
    ...checks.map(
      (check) => `${check.label.padEnd(width)}  ${check.sha256}  ${check.ok ? 'OK' : 'MISMATCH'}`,
    ),
  ];
}

export interface DemoSummary {
  timings: readonly PhaseTiming[];
  totalMs: number;
  fileName: string;
  size: number;
  shares: readonly ServerShare[];
  shutDown: ShutDownServer;
  /** The server the balancer's 301 sent mode 1 to, when it could be told from the Location. */
  balancerPick: ServerShare | undefined;
  checks: readonly DigestCheck[];
}

/** The summary section, without its heading. */
export function formatSummary(summary: DemoSummary): string[] {
  const pick =
    summary.balancerPick === undefined
      ? []
      : [
          `the balancer's 301 sent mode 1 to Server ${summary.balancerPick.server} (${formatRate(summary.balancerPick.rate)})`,
        ];
  return [
    ...formatPhaseTimes(summary.timings, summary.totalMs),
    '',
    ...formatServerBytes(summary.shares, summary.size, summary.shutDown),
    ...pick,
    '',
    formatVerdict(summary.checks, summary.fileName),
  ];
}
