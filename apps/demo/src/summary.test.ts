import { describe, expect, it } from 'vitest';
import {
  formatDigestChecks,
  formatDuration,
  formatMiB,
  formatPercent,
  formatSummary,
  formatVerdict,
} from './summary.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

describe('small formats', () => {
  it('durations in tenths of a second, never negative', () => {
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(14_250)).toBe('14.3 s');
    expect(formatDuration(-3)).toBe('0.0 s');
  });

  it('MiB and percentages', () => {
    expect(formatMiB(8 * 1024 * 1024)).toBe('8 MiB');
    expect(formatMiB(1.5 * 1024 * 1024)).toBe('1.5 MiB');
    expect(formatPercent(1, 3)).toBe('33%');
    expect(formatPercent(5, 0)).toBe('0%');
  });
});

describe('formatVerdict', () => {
  it('says OK only when every download matches', () => {
    const ok = [
      { label: 'via the balancer (mode 1)', sha256: SHA_A, ok: true },
      { label: 'from all servers (mode 2)', sha256: SHA_A, ok: true },
    ];
    expect(formatVerdict(ok, 'sample.mp4')).toBe(
      'verdict: SHA-256 OK (both downloads match sample.mp4)',
    );
    const bad = [ok[0]!, { label: 'from all servers (mode 2)', sha256: SHA_B, ok: false }];
    expect(formatVerdict(bad, 'sample.mp4')).toBe(
      'verdict: SHA-256 MISMATCH (from all servers (mode 2) differ from sample.mp4)',
    );
  });

  it('lists the source and each download with its digest', () => {
    expect(
      formatDigestChecks(
        [
          { label: 'via the balancer (mode 1)', sha256: SHA_A, ok: true },
          { label: 'from all servers (mode 2)', sha256: SHA_B, ok: false },
        ],
        'sample.mp4',
        SHA_A,
      ),
    ).toEqual([
      `sample.mp4                 ${SHA_A}  (source)`,
      `via the balancer (mode 1)  ${SHA_A}  OK`,
      `from all servers (mode 2)  ${SHA_B}  MISMATCH`,
    ]);
  });
});

describe('formatSummary', () => {
  const shares = [
    { server: 1, rate: '2M', bytes: 2097152 },
    { server: 2, rate: '3M', bytes: 2097152 },
    { server: 3, rate: '4M', bytes: 3145728 },
    { server: 4, rate: '6M', bytes: 1245184 },
  ];
  const base = {
    timings: [
      { label: '1/6', title: 'generate sample.mp4', ms: 40 },
      { label: '2/6', title: 'start 4 virtual servers', ms: 1210 },
      { label: '3/6', title: 'start the balancer', ms: 8020 },
    ],
    totalMs: 9300,
    fileName: 'sample.mp4',
    size: 8388608,
    shares,
    shutDown: { server: 4, atReceivedBytes: 3014656 },
    balancerPick: shares[3],
    checks: [
      { label: 'via the balancer (mode 1)', sha256: SHA_A, ok: true },
      { label: 'from all servers (mode 2)', sha256: SHA_A, ok: true },
    ],
  };

  it('prints time per phase, bytes per server, the pick and the verdict, line for line', () => {
    expect(formatSummary(base)).toEqual([
      'time per phase:',
      '  1/6  generate sample.mp4       0.0 s',
      '  2/6  start 4 virtual servers   1.2 s',
      '  3/6  start the balancer        8.0 s',
      '       total                     9.3 s',
      '',
      'bytes per server, download from all servers (mode 2):',
      '  Server 1  2 MiB/s  2097152 bytes   25%',
      '  Server 2  3 MiB/s  2097152 bytes   25%',
      '  Server 3  4 MiB/s  3145728 bytes   38%',
      '  Server 4  6 MiB/s  1245184 bytes   15%  (shut down at 36% of the file)',
      "the balancer's 301 sent mode 1 to Server 4 (6 MiB/s)",
      '',
      'verdict: SHA-256 OK (both downloads match sample.mp4)',
    ]);
  });

  it('says when the shutdown only came after the download, and leaves out an unknown pick', () => {
    const lines = formatSummary({
      ...base,
      shutDown: { server: 4, atReceivedBytes: undefined },
      balancerPick: undefined,
    });
    expect(lines).toContain(
      '  Server 4  6 MiB/s  1245184 bytes   15%  (shut down after the download)',
    );
    expect(lines.some((line) => line.includes("balancer's 301"))).toBe(false);
  });
});
