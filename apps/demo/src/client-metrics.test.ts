import { describe, expect, it } from 'vitest';
import { MetricsBlockReader, parseMetricsLine } from './client-metrics.js';

describe('parseMetricsLine', () => {
  it("reads lb-client's server and total lines", () => {
    expect(parseMetricsLine('Server 3: 655360/8388608, download speed: 3259.48kb/s')).toEqual({
      kind: 'server',
      server: 3,
      bytes: 655360,
      size: 8388608,
    });
    expect(parseMetricsLine('Total: 0/8388608, download speed: 0.00kb/s')).toEqual({
      kind: 'total',
      bytes: 0,
      size: 8388608,
    });
  });

  it('ignores everything else', () => {
    expect(parseMetricsLine('lb-client: saved /tmp/x (8 bytes)')).toBeUndefined();
    expect(
      parseMetricsLine('Server 1: Port: 8001 Status: alive, To Shutdown Server 1 Enter: E1'),
    ).toBeUndefined();
  });
});

describe('MetricsBlockReader', () => {
  it('completes a block on its Total line, with what each server sent', () => {
    const reader = new MetricsBlockReader();
    const lines = [
      'Server 1: 100/1000, download speed: 1.00kb/s',
      'Server 2: 200/1000, download speed: 2.00kb/s',
      'lb-client: a notice between the lines',
      'Total: 256/1000, download speed: 2.56kb/s',
    ];
    const blocks = lines.map((line) => reader.push(line));
    expect(blocks.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(blocks[3]).toEqual({
      size: 1000,
      serverBytes: [100, 200],
      receivedBytes: 300,
      verifiedBytes: 256,
    });
    // The next block starts empty.
    reader.push('Server 2: 900/1000, download speed: 2.00kb/s');
    expect(reader.push('Total: 900/1000, download speed: 0.00kb/s')?.serverBytes).toEqual([0, 900]);
  });
});
