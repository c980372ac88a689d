/**
 * The whole demo, end to end, as a newcomer runs it: real servers, balancer and clients on real
 * sockets. It must succeed, print what it promises, and leave no process and no temp dir behind.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exists, startDemo, startedPids, tempDirOf } from './demo-process.js';

describe('pnpm start', () => {
  it('runs all six phases, verifies both downloads and cleans up after itself', {
    timeout: 120_000,
  }, async () => {
    const demo = startDemo();
    const exit = await demo.exited;
    const out = demo.stdout();
    expect(demo.stderr()).toBe('');
    expect(exit).toEqual({ code: 0, signal: null });
    const lines = out.split('\n');

    // The headings, in order.
    const headings = lines.filter((line) => line.startsWith('== '));
    expect(headings).toEqual([
      '== 1/6 generating sample.mp4 (8 MiB)',
      '== 2/6 starting 4 virtual servers (lb-server, --rate 2M 3M 4M 6M)',
      '== 3/6 starting the balancer (lb-balancer: GET /sample.mp4 from every server, rank them, then 301)',
      '== 4/6 downloading through the balancer (lb-client mode 1: the 301 is shown and followed)',
      '== 5/6 downloading from all 4 servers at once (lb-client mode 2); Server 4 is shut down a third of the way',
      '== 6/6 verifying the SHA-256 of both downloads against the source',
      '== cleaning up',
      '== summary',
      '== run each piece by hand',
    ]);

    // 1: the sample and its digest.
    const source = /^ {3}\S+\/sample\.mp4 {2}8388608 bytes {2}sha256 ([0-9a-f]{64})$/m.exec(out);
    expect(source).not.toBeNull();
    const sha256 = source![1]!;

    // 2: the status block, each program's lines behind its name.
    for (let k = 1; k <= 4; k++) {
      expect(out).toMatch(
        new RegExp(
          `^ {3}server {3}\\| Server ${k}: Port: \\d+ Status: alive, To Shutdown Server ${k} Enter: E${k}$`,
          'm',
        ),
      );
    }
    // 3: the ranking table and the balancer's address.
    expect(out).toMatch(/^ {3}balancer \| performance test: GET \/sample\.mp4 from 4 servers$/m);
    expect(out).toMatch(/^ {3}balancer \| listening on http:\/\/127\.0\.0\.1:\d+$/m);
    // 4: the 301, shown and followed.
    expect(lines).toContain('   client   | HTTP/1.1 301 Moved Permanently');
    expect(out).toMatch(/^ {3}client {3}\| Location: http:\/\/127\.0\.0\.1:\d+\/sample\.mp4$/m);
    expect(lines).toContain('   client   | HTTP/1.1 200 OK');
    // 5: metrics, the shutdown and the server saying it is dead.
    expect(out).toMatch(/^ {3}client {3}\| Total: 8388608\/8388608, download speed: [\d.]+kb\/s$/m);
    expect(out).toMatch(
      /^ {3}demo {5}\| .*: writing E4 to lb-server's stdin \(Server 4 crashes mid-transfer\)$/m,
    );
    expect(lines).toContain('   server   | Server 4 shut down.');
    expect(out).toMatch(/^ {3}server {3}\| Server 4: Port: \d+ Status: dead, /m);
    // 6: both digests equal the source's.
    expect(lines).toContain(`   via the balancer (mode 1)  ${sha256}  OK`);
    expect(lines).toContain(`   from all servers (mode 2)  ${sha256}  OK`);

    // The summary: a time for each phase, bytes for each server, the verdict.
    for (const phase of ['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']) {
      expect(out).toMatch(new RegExp(`^ {5}${phase} {2}.* \\d+\\.\\d s$`, 'm'));
    }
    expect(out).toMatch(/^ {10}total +\d+\.\d s$/m);
    const perServer = [...out.matchAll(/^ {5}Server (\d) {2,}\d+ MiB\/s {2,}(\d+) bytes /gm)];
    expect(perServer.map((match) => Number(match[1]))).toEqual([1, 2, 3, 4]);
    const received = perServer.reduce((sum, match) => sum + Number(match[2]), 0);
    expect(received).toBeGreaterThanOrEqual(8388608);
    expect(lines).toContain('   verdict: SHA-256 OK (both downloads match sample.mp4)');

    // Nothing left: every program it started is gone, with its process group, and the temp dir.
    const pids = startedPids(out);
    expect(pids).toHaveLength(4);
    for (const pid of pids) {
      expect(exists(pid), `pid ${pid}`).toBe(false);
      expect(exists(-pid), `process group ${pid}`).toBe(false);
    }
    const tempDir = tempDirOf(out);
    expect(lines).toContain(`   removed ${tempDir}`);
    expect(existsSync(tempDir)).toBe(false);
  });
});
