import { describe, expect, it } from 'vitest';
import { aggregateRequests, sortedCounts } from './aggregate-requests.js';
import type { RequestRecord } from './request-record.js';

function record(index: number, fields: Partial<RequestRecord>): RequestRecord {
  return {
    index,
    startedAtMs: index,
    totalMs: 1,
    redirectMs: 0.5,
    server: 'a:1',
    status: 200,
    bytes: 10,
    ok: true,
    error: null,
    ...fields,
  };
}

describe('aggregateRequests', () => {
  it('gives exact nearest-rank percentiles and the mean on 1..100 ms', () => {
    const records = Array.from({ length: 100 }, (_, i) => record(i, { totalMs: 100 - i }));
    const result = aggregateRequests(records);
    expect(result.latency.count).toBe(100);
    expect(result.latency.mean).toBe(50.5);
    expect(result.latency.p50).toBe(50);
    expect(result.latency.p95).toBe(95);
    expect(result.latency.p99).toBe(99);
    expect(result.latency.max).toBe(100);
  });

  it('takes the smallest value with at least q·n at or below it (no interpolation)', () => {
    const result = aggregateRequests([2, 4, 8].map((ms, i) => record(i, { totalMs: ms })));
    expect(result.latency.p50).toBe(4);
    expect(result.latency.p95).toBe(8);
    expect(result.latency.mean).toBeCloseTo(14 / 3, 12);
  });

  it('counts successes per server and failures by code, leaving failures out of latency', () => {
    const records = [
      record(0, { server: 'b:2', totalMs: 5 }),
      record(1, { server: 'a:1', totalMs: 7 }),
      record(2, { server: 'b:2', totalMs: 9 }),
      record(3, { ok: false, error: 'LB_WIRE_CONNECT_FAILED', status: 0, totalMs: 0.1 }),
      record(4, { ok: false, status: 404, totalMs: 1000 }),
      record(5, { ok: false, status: 404, totalMs: 1000 }),
    ];
    const result = aggregateRequests(records);
    expect(result).toMatchObject({ requests: 6, succeeded: 3, failed: 3 });
    expect(result.perServer).toEqual({ 'b:2': 2, 'a:1': 1 });
    expect(Object.keys(result.perServer)).toEqual(['b:2', 'a:1']);
    expect(result.failures).toEqual({ 'status 404': 2, LB_WIRE_CONNECT_FAILED: 1 });
    expect(result.latency.max).toBe(9);
  });

  it('gives NaN latencies, not zeros, when nothing succeeded', () => {
    const result = aggregateRequests([
      record(0, { ok: false, error: 'LB_WIRE_SOCKET', status: 0 }),
    ]);
    expect(result.succeeded).toBe(0);
    expect(result.latency.p50).toBeNaN();
    expect(result.latency.mean).toBeNaN();
  });
});

describe('sortedCounts', () => {
  it('orders by count, then by name', () => {
    const counts = new Map([
      ['c', 1],
      ['b', 3],
      ['a', 1],
    ]);
    expect(Object.entries(sortedCounts(counts))).toEqual([
      ['b', 3],
      ['a', 1],
      ['c', 1],
    ]);
  });
});
