/** --rate, --latency, --fail-after and --corrupt. */
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { CORRUPT_STRIDE } from '../src/body-aids.js';
import { exchange, request, withServer, writeRandomFile } from './helpers.js';

const MiB = 1024 * 1024;
let eight: Buffer;
let small: Buffer;

const root = useTempDir(async (dir) => {
  eight = await writeRandomFile(join(dir, 'eight.bin'), 8 * MiB);
  small = await writeRandomFile(join(dir, 'small.bin'), 10_000);
});

describe('--rate', () => {
  // The acceptance criterion, and the one timing assertion in this suite. The lower bound
  // is the bucket's correctness and never depends on load; the upper bound can be missed when the
  // test process itself is starved of CPU (seen at load average 13 on 2 cores), hence the retries.
  it('an 8 MiB download at 4 MiB/s takes 2 s ± 10%', { retry: 2 }, async () => {
    await withServer({ root: root.path, rateBytesPerSecond: 4 * MiB }, async (port) => {
      const started = performance.now();
      const response = await exchange(port, 'GET /eight.bin HTTP/1.1\r\nHost: x\r\n\r\n', {
        methods: ['GET'],
        timeoutMs: 10_000,
      });
      const seconds = (performance.now() - started) / 1000;
      expect(response.responses[0]!.body.equals(eight)).toBe(true);
      expect(seconds).toBeGreaterThan(1.8);
      expect(seconds).toBeLessThan(2.2);
    });
  });

  it('is shared by all connections: two parallel 4 MiB ranges at 4 MiB/s also take 2 s ± 10%', {
    retry: 2,
  }, async () => {
    await withServer({ root: root.path, rateBytesPerSecond: 4 * MiB }, async (port) => {
      const started = performance.now();
      const halves = await Promise.all(
        ['bytes=0-4194303', 'bytes=4194304-'].map((range) =>
          exchange(port, `GET /eight.bin HTTP/1.1\r\nHost: x\r\nRange: ${range}\r\n\r\n`, {
            methods: ['GET'],
            timeoutMs: 10_000,
          }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const joined = Buffer.concat(halves.map((h) => h.responses[0]!.body));
      expect(joined.equals(eight)).toBe(true);
      expect(seconds).toBeGreaterThan(1.8);
      expect(seconds).toBeLessThan(2.2);
    });
  });

  it('does not slow down the index, the maps or the seed endpoints', async () => {
    await withServer({ root: root.path, rateBytesPerSecond: 1024 }, async (port) => {
      expect((await request(port, '/heartbeat')).status).toBe(200);
      expect((await request(port, '/', { Accept: 'application/json' })).status).toBe(200);
      expect((await request(port, '/.lb/fragment-map/small.bin')).status).toBe(200);
    });
  });
});

describe('--fail-after', () => {
  it('cuts each file response after exactly that many body bytes', async () => {
    await withServer({ root: root.path, failAfterBytes: 1000 }, async (port) => {
      const result = await exchange(port, 'GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n', {
        methods: ['GET'],
      });
      expect(result.responses).toHaveLength(0);
      expect(result.closed).toBe(true);
      expect(result.partialBody!.equals(small.subarray(0, 1000))).toBe(true);
      const head = result.raw.toString('latin1');
      expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(head).toContain('Content-Length: 10000\r\n');
      // A range counts its own body bytes.
      const range = await exchange(
        port,
        'GET /small.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=5000-\r\n\r\n',
        { methods: ['GET'] },
      );
      expect(range.partialBody!.equals(small.subarray(5000, 6000))).toBe(true);
    });
  });

  it('0 sends the head and no body byte; responses shorter than the limit complete', async () => {
    await withServer({ root: root.path, failAfterBytes: 0 }, async (port) => {
      const cut = await exchange(port, 'GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n', {
        methods: ['GET'],
      });
      expect(cut.partialBody!.length).toBe(0);
      expect(cut.closed).toBe(true);
    });
    await withServer({ root: root.path, failAfterBytes: 20_000 }, async (port) => {
      const whole = await request(port, '/small.bin');
      expect(whole.body.equals(small)).toBe(true);
      expect(whole.closed).toBe(false);
    });
  });
});

describe('--corrupt', () => {
  it('flips the first byte of each body and every 4096th after it, and nothing else', async () => {
    await withServer({ root: root.path, corrupt: true }, async (port) => {
      const whole = await request(port, '/small.bin');
      expect(whole.body.length).toBe(small.length);
      const differing = [...whole.body.keys()].filter((i) => whole.body[i] !== small[i]);
      expect(differing).toEqual([0, CORRUPT_STRIDE, 2 * CORRUPT_STRIDE]);
      expect(whole.body[0]).toBe(small[0]! ^ 0xff);
      // Even a one-byte range is wrong, and the headers still describe the true file.
      const one = await request(port, '/small.bin', { Range: 'bytes=7-7' });
      expect(one.body[0]).toBe(small[7]! ^ 0xff);
      const map = await request(port, '/.lb/fragment-map/small.bin');
      expect(JSON.parse(map.body.toString()).size).toBe(small.length);
    });
  });
});

describe('--latency', () => {
  it('delays each response head by at least that long', async () => {
    await withServer({ root: root.path, latencyMs: 150 }, async (port) => {
      const started = performance.now();
      const result = await exchange(
        port,
        'GET /home HTTP/1.1\r\nHost: x\r\n\r\nGET /home HTTP/1.1\r\nHost: x\r\n\r\n',
        { methods: ['GET', 'GET'] },
      );
      expect(result.responses).toHaveLength(2);
      // A lower bound only: the server cannot be early, however loaded the machine is.
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    });
  });
});
