import { describe, expect, it } from 'vitest';
import { runClosedLoop } from './closed-loop-load.js';
import type { FetchResult, RedirectClient } from './redirect-client.js';

const fakeClient = () => ({ close() {} }) as unknown as RedirectClient;

function result(fields: Partial<FetchResult> = {}): FetchResult {
  return {
    totalMs: 1,
    redirectMs: 1,
    server: 's:1',
    status: 200,
    bytes: 1,
    ok: true,
    error: null,
    ...fields,
  };
}

describe('runClosedLoop', () => {
  it('sends exactly `requests` requests, never more than `concurrency` at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const sent: number[] = [];
    const run = await runClosedLoop({
      requests: 25,
      concurrency: 4,
      maxDurationMs: 60_000,
      createClient: fakeClient,
      send: async (index) => {
        sent.push(index);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return result();
      },
    });
    expect(sent.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(peak).toBe(4);
    expect(run.records.map((record) => record.index)).toEqual(sent);
    expect(run.stoppedByTime).toBe(false);
  });

  it('starts no request after the time limit and says so', async () => {
    let clock = 0;
    const run = await runClosedLoop({
      requests: 100,
      concurrency: 2,
      maxDurationMs: 10,
      now: () => clock,
      createClient: fakeClient,
      send: async () => {
        clock += 3;
        return result();
      },
    });
    // Two workers, 3 ms per request on the fake clock: requests start at 0, 3, 6, 9 (×2 workers
    // interleaved), none at or after 10.
    expect(run.stoppedByTime).toBe(true);
    expect(run.records.length).toBeLessThan(100);
    expect(run.records.every((record) => record.startedAtMs < 10)).toBe(true);
  });

  it('stops early when shouldStop says so', async () => {
    let sent = 0;
    const run = await runClosedLoop({
      requests: 1000,
      concurrency: 1,
      maxDurationMs: 60_000,
      createClient: fakeClient,
      shouldStop: () => sent >= 7,
      send: async () => {
        sent++;
        return result();
      },
    });
    expect(run.records).toHaveLength(7);
    expect(run.stoppedByTime).toBe(false);
  });

  it('closes every worker client, also when a send throws', async () => {
    let closed = 0;
    const failing = runClosedLoop({
      requests: 3,
      concurrency: 3,
      maxDurationMs: 1000,
      createClient: () => ({ close: () => closed++ }) as unknown as RedirectClient,
      send: async () => {
        throw new Error('boom');
      },
    });
    await expect(failing).rejects.toThrow('boom');
    expect(closed).toBe(3);
  });

  it('refuses nonsense sizes', async () => {
    const send = async () => result();
    await expect(
      runClosedLoop({ requests: 1, concurrency: 0, maxDurationMs: 1, send }),
    ).rejects.toThrow(RangeError);
    await expect(
      runClosedLoop({ requests: -1, concurrency: 1, maxDurationMs: 1, send }),
    ).rejects.toThrow(RangeError);
  });
});
