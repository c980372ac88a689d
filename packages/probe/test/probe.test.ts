import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth, InvalidProbeOptionError, probe } from '../src/index.js';
import { deadPort, type LbServer, makeRoot, startLbServer } from './lb-server.js';

let root: Awaited<ReturnType<typeof makeRoot>>;
let fast: LbServer;
let throttled: LbServer;
let slowHead: LbServer;
let cutting: LbServer;

beforeAll(async () => {
  root = await makeRoot(256 * 1024);
  [fast, throttled, slowHead, cutting] = await Promise.all([
    startLbServer(root.dir, ['--id', 'fast']),
    startLbServer(root.dir, ['--id', 'throttled', '--rate', '1M']),
    startLbServer(root.dir, ['--id', 'slow-head', '--latency', '5000']),
    startLbServer(root.dir, ['--id', 'cutting', '--fail-after', '1000']),
  ]);
});

afterAll(async () => {
  await Promise.all([fast, throttled, slowHead, cutting].map((server) => server?.kill()));
  await root?.remove();
});

describe('probe', () => {
  it('times a transfer of the test file', async () => {
    const result = await probe(fast.id, { path: '/test.jpg' });
    expect(result).toMatchObject({
      ok: true,
      target: fast.id,
      status: 200,
      bytes: 256 * 1024,
      samples: 1,
    });
    if (!result.ok) return;
    expect(result.connectMs).toBeGreaterThan(0);
    expect(result.ttfbMs).toBeGreaterThanOrEqual(result.connectMs);
    expect(result.totalMs).toBeGreaterThanOrEqual(result.ttfbMs);
    expect(result.bytesPerSec).toBeCloseTo((result.bytes * 1000) / result.totalMs, 6);
  });

  it('accepts { host, port } and defaults the path to /test.jpg', async () => {
    const result = await probe({ host: fast.host, port: fast.port });
    expect(result).toMatchObject({ ok: true, bytes: 256 * 1024 });
  });

  it('sees a throttled server as slower than an unthrottled one', async () => {
    const [quick, slow] = await Promise.all([probe(fast.id), probe(throttled.id)]);
    expect(quick.ok && slow.ok).toBe(true);
    if (!quick.ok || !slow.ok) return;
    expect(slow.bytes).toBe(quick.bytes);
    expect(slow.totalMs).toBeGreaterThan(quick.totalMs);
    expect(slow.bytesPerSec).toBeLessThan(quick.bytesPerSec);
  });

  it('reports the median of several samples', async () => {
    const result = await probe(fast.id, { samples: 3 });
    expect(result).toMatchObject({ ok: true, samples: 3, bytes: 256 * 1024 });
  });

  it('reports a refused connection as LB_WIRE_CONNECT_FAILED', async () => {
    const port = await deadPort();
    const result = await probe(`127.0.0.1:${port}`);
    expect(result).toMatchObject({
      ok: false,
      target: `127.0.0.1:${port}`,
      error: { code: 'LB_WIRE_CONNECT_FAILED', message: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('reports a missing file as LB_PROBE_BAD_STATUS with the status', async () => {
    const result = await probe(fast.id, { path: '/missing.jpg' });
    expect(result).toMatchObject({
      ok: false,
      status: 404,
      error: { code: 'LB_PROBE_BAD_STATUS', message: 'GET /missing.jpg answered 404 Not Found' },
    });
  });

  it('reports a server slower than the deadline as LB_PROBE_TIMEOUT', async () => {
    const result = await probe(slowHead.id, { timeoutMs: 300 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'LB_PROBE_TIMEOUT', message: 'GET /test.jpg did not complete within 300 ms' },
    });
  });

  it('reports a transfer cut short as LB_WIRE_PREMATURE_CLOSE', async () => {
    const result = await probe(cutting.id);
    expect(result).toMatchObject({ ok: false, error: { code: 'LB_WIRE_PREMATURE_CLOSE' } });
  });

  it('fails the whole probe when any sample fails', async () => {
    const result = await probe(cutting.id, { samples: 3 });
    expect(result.ok).toBe(false);
  });

  it('reports an abort by the caller as LB_PROBE_ABORTED', async () => {
    const controller = new AbortController();
    const pending = probe(slowHead.id, { signal: controller.signal });
    setImmediate(() => controller.abort());
    expect(await pending).toMatchObject({ ok: false, error: { code: 'LB_PROBE_ABORTED' } });
  });

  it.each([
    ['target', 'nohost', {}],
    ['target', '127.0.0.1:0', {}],
    ['target', '127.0.0.1:70000', {}],
    ['path', '127.0.0.1:1', { path: 'test.jpg' }],
    ['path', '127.0.0.1:1', { path: '/a b' }],
    ['timeoutMs', '127.0.0.1:1', { timeoutMs: 0 }],
    ['timeoutMs', '127.0.0.1:1', { timeoutMs: Number.NaN }],
    ['samples', '127.0.0.1:1', { samples: 0 }],
    ['samples', '127.0.0.1:1', { samples: 1.5 }],
  ])('throws InvalidProbeOptionError for a bad %s', async (option, target, options) => {
    const error = await probe(target, options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidProbeOptionError);
    expect((error as InvalidProbeOptionError).option).toMatch(new RegExp(`^${option}`));
  });
});

describe('checkHealth', () => {
  it('GETs /heartbeat', async () => {
    expect(await checkHealth(fast.id)).toMatchObject({ ok: true, status: 200, bytes: 0 });
  });

  it('takes another path', async () => {
    expect(await checkHealth(fast.id, { path: '/nope' })).toMatchObject({
      ok: false,
      status: 404,
      error: { code: 'LB_PROBE_BAD_STATUS' },
    });
  });

  it('fails a dead server', async () => {
    const result = await checkHealth(`127.0.0.1:${await deadPort()}`);
    expect(result).toMatchObject({ ok: false, error: { code: 'LB_WIRE_CONNECT_FAILED' } });
  });
});
