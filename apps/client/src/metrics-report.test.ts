import { describe, expect, it } from 'vitest';
import {
  formatMetricsLines,
  formatRateLine,
  kilobytesPerSecond,
  MetricsMeter,
} from './metrics-report.js';

describe('the metrics lines', () => {
  it('have exactly the issue format, Server k in the order given, then Total', () => {
    const meter = new MetricsMeter({
      atMs: 0,
      size: 10_000_000,
      verifiedBytes: 0,
      serverBytes: [0, 0, 0, 0],
    });
    const report = meter.report({
      atMs: 1000,
      size: 10_000_000,
      verifiedBytes: 3_000_000,
      serverBytes: [250_000, 500_000, 1_000_000, 2_000_123],
    });
    expect(formatMetricsLines(report)).toBe(
      'Server 1: 250000/10000000, download speed: 250.00kb/s\n' +
        'Server 2: 500000/10000000, download speed: 500.00kb/s\n' +
        'Server 3: 1000000/10000000, download speed: 1000.00kb/s\n' +
        'Server 4: 2000123/10000000, download speed: 2000.12kb/s\n' +
        'Total: 3000000/10000000, download speed: 3000.00kb/s\n',
    );
  });

  it('speeds cover the time since the previous report; counts are cumulative', () => {
    const meter = new MetricsMeter({ atMs: 0, size: 100, verifiedBytes: 40, serverBytes: [10] });
    meter.report({ atMs: 500, size: 100, verifiedBytes: 40, serverBytes: [1010] });
    const report = meter.report({ atMs: 750, size: 100, verifiedBytes: 90, serverBytes: [1510] });
    expect(report.intervalMs).toBe(250);
    expect(report.servers[0]).toEqual({ bytes: 1510, kilobytesPerSecond: 2 });
    expect(report.total).toEqual({ bytes: 90, kilobytesPerSecond: 0.2 });
  });

  it('kB are 1000 bytes; an empty interval reads 0', () => {
    expect(kilobytesPerSecond(2048, 1000)).toBe(2.048);
    expect(kilobytesPerSecond(5, 0)).toBe(0);
    expect(formatRateLine('Total', { bytes: 0, kilobytesPerSecond: 0 }, 7)).toBe(
      'Total: 0/7, download speed: 0.00kb/s',
    );
  });
});
