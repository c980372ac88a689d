import { captureOutput } from '@lb/test-kit';
import { describe, expect, it } from 'vitest';
import { TransferBars } from './progress-bars.js';

describe('TransferBars', () => {
  it('draws a bar per server and a total, with the metrics lines printed above them intact', () => {
    const terminal = captureOutput({ terminal: true });
    const bars = new TransferBars(terminal.stream, 2, 1000);
    bars.update({
      serverBytes: [250, 5000],
      verifiedBytes: 500,
      serverSpeeds: [1.5, 2],
      totalSpeed: 3.25,
    });
    bars.log('Server 1: 250/1000, download speed: 1.50kb/s\n');
    bars.stop();
    const out = terminal.text();
    expect(out).toContain('Server 1: 250/1000, download speed: 1.50kb/s\n');
    expect(out).toMatch(/Server 1 \[[^\]]+\] +25% \| 250\/1000 \| 1\.50kb\/s/);
    // A server's count may pass the size (discarded bytes); its bar stops full.
    expect(out).toMatch(/Server 2 \[[^\]]+\] +100% \| 1000\/1000 \| 2\.00kb\/s/);
    expect(out).toMatch(/Total +\[[^\]]+\] +50% \| 500\/1000 \| 3\.25kb\/s/);
  });
});
