import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

/** A clock the test moves by hand: no real time passes in these tests. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** 1000 bytes/s with a 100-byte burst, on a clock the test advances by hand. */
function slowBucket() {
  const clock = manualClock();
  return {
    clock,
    bucket: new TokenBucket({ bytesPerSecond: 1000, burstBytes: 100, now: clock.now }),
  };
}

describe('TokenBucket', () => {
  it('lets the burst through at once, then charges debt at the rate', () => {
    const { bucket } = slowBucket();
    expect(bucket.reserve(100)).toBe(0);
    expect(bucket.reserve(500)).toBe(500);
    // A second caller queues behind the first without any queue object.
    expect(bucket.reserve(500)).toBe(1000);
  });

  it('pays back debt as time passes, never saving more than the burst', () => {
    const { clock, bucket } = slowBucket();
    bucket.reserve(1100);
    clock.advance(1000);
    expect(bucket.tokens).toBeCloseTo(0);
    clock.advance(60_000);
    expect(bucket.tokens).toBe(100);
  });

  it('keeps the total exact however the bytes are split across callers', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ bytesPerSecond: 4 * 1024 ** 2, now: clock.now });
    let lastDelay = 0;
    for (let i = 0; i < 256; i++) lastDelay = bucket.reserve(32 * 1024);
    // 8 MiB at 4 MiB/s: the last byte may leave 2 s minus the initial burst later.
    expect(lastDelay).toBeCloseTo(2000 - (bucket.burstBytes / (4 * 1024 ** 2)) * 1000, 6);
  });

  it('refunds bytes that were reserved but never sent', () => {
    const { bucket } = slowBucket();
    bucket.reserve(600);
    bucket.refund(500);
    expect(bucket.tokens).toBe(0);
  });

  it('picks chunks of about 1/32 s of rate, between 1 KiB and the maximum', () => {
    expect(new TokenBucket({ bytesPerSecond: 32 * 1024 ** 2 }).chunkSize(256 * 1024)).toBe(
      256 * 1024,
    );
    expect(new TokenBucket({ bytesPerSecond: 3200 }).chunkSize(256 * 1024)).toBe(1024);
    expect(new TokenBucket({ bytesPerSecond: 4 * 1024 ** 2 }).chunkSize(1024 ** 2)).toBe(
      128 * 1024,
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a rate of %d', (rate) => {
    expect(() => new TokenBucket({ bytesPerSecond: rate })).toThrow(RangeError);
  });
});
