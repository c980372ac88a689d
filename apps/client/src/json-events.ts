/**
 * `--json`: one JSON object per line on stdout, for scripts. A `metrics` event every interval
 * (instead of the text lines), the engine's events as they happen, then `done` or `error`.
 * Byte counts are integers; speeds are kilobytes (1000 bytes) per second, unrounded.
 */

import type { DownloadEvent, DownloadSnapshot } from '@lb/download';
import { formatEngineEvent } from './engine-notices.js';
import type { MetricsReport } from './metrics-report.js';

export interface MetricsEvent {
  event: 'metrics';
  elapsedMs: number;
  intervalMs: number;
  size: number;
  servers: Array<{
    server: number;
    url: string;
    status: string;
    /** Keep-alive connections it should have now (changes with `--connections auto`). */
    connections: number;
    bytes: number;
    kilobytesPerSecond: number;
  }>;
  total: { verifiedBytes: number; kilobytesPerSecond: number };
  resumedBytes: number;
  checkpointedBytes: number;
  duplicateBytes: number;
  wastedBytes: number;
}

export function metricsEvent(
  report: MetricsReport,
  snapshot: DownloadSnapshot,
  urls: readonly string[],
  elapsedMs: number,
): MetricsEvent {
  return {
    event: 'metrics',
    elapsedMs: Math.round(elapsedMs),
    intervalMs: Math.round(report.intervalMs),
    size: report.size,
    servers: report.servers.map((line, k) => ({
      server: k + 1,
      url: urls[k] ?? '',
      status: snapshot.serverStatus[k] ?? 'unknown',
      connections: snapshot.serverConnections[k] ?? 0,
      bytes: line.bytes,
      kilobytesPerSecond: line.kilobytesPerSecond,
    })),
    total: {
      verifiedBytes: report.total.bytes,
      kilobytesPerSecond: report.total.kilobytesPerSecond,
    },
    resumedBytes: snapshot.resumedBytes,
    checkpointedBytes: snapshot.checkpointedBytes,
    duplicateBytes: snapshot.duplicateBytes,
    wastedBytes: snapshot.wastedBytes,
  };
}

/** An engine event as --json prints it: `started` lists the servers, a notice is its stderr text. */
export function engineEventJson(event: DownloadEvent, urls: readonly string[]): object {
  if (event.event === 'started') return { ...event, servers: urls };
  if (event.event === 'notice') return { event: 'notice', message: formatEngineEvent(event) };
  return event;
}

/** One line of output: the event as compact JSON. */
export function jsonLine(event: object): string {
  return `${JSON.stringify(event)}\n`;
}
