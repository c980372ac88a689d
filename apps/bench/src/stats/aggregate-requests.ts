/**
 * Aggregates one run's request records into the numbers the tables show. Latency percentiles are
 * those of @lb/ranking/sim (`summarizeLatencies`, nearest rank), so measured and simulated results
 * are summarised by the same definition and can be compared column by column.
 */
import { type LatencySummary, summarizeLatencies } from '@lb/ranking/sim';
import type { RequestRecord } from './request-record.js';

export interface RunAggregate {
  requests: number;
  succeeded: number;
  failed: number;
  /** Failures counted by error code or status (`status 404`, `LB_WIRE_CONNECT_FAILED`, ...). */
  failures: Record<string, number>;
  /** Latency of the successful requests only: a refused connection is fast but not an answer. */
  latency: LatencySummary;
  /** Successful requests per server (`host:port`), in descending count, then name order. */
  perServer: Record<string, number>;
}

export function failureLabel(record: RequestRecord): string {
  return record.error ?? `status ${record.status}`;
}

export function aggregateRequests(records: readonly RequestRecord[]): RunAggregate {
  const latencies: number[] = [];
  const perServer = new Map<string, number>();
  const failures = new Map<string, number>();
  for (const record of records) {
    if (record.ok) {
      latencies.push(record.totalMs);
      if (record.server !== null) {
        perServer.set(record.server, (perServer.get(record.server) ?? 0) + 1);
      }
    } else {
      const label = failureLabel(record);
      failures.set(label, (failures.get(label) ?? 0) + 1);
    }
  }
  return {
    requests: records.length,
    succeeded: latencies.length,
    failed: records.length - latencies.length,
    failures: sortedCounts(failures),
    latency: summarizeLatencies(Float64Array.from(latencies)),
    perServer: sortedCounts(perServer),
  };
}

/** A plain record of counts, largest first and by name among equals, so output is stable. */
export function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  const entries = [...counts].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  return Object.fromEntries(entries);
}
