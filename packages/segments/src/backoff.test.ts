import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('grows exponentially up to the cap, scaled by the injected random', () => {
    const backoff = new Backoff({ baseMs: 100, factor: 2, maxMs: 1000, random: () => 0.5 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoff.attempt).toBe(6);
  });

  it('uses full jitter: anywhere from 0 to the ceiling', () => {
    const values = [0, 0.999];
    const backoff = new Backoff({ baseMs: 100, random: () => values.shift()! });
    expect(backoff.next()).toBe(0);
    expect(backoff.next()).toBeCloseTo(199.8);
  });

  it('starts over after reset()', () => {
    const backoff = new Backoff({ baseMs: 100, random: () => 1 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.attempt).toBe(0);
    expect(backoff.next()).toBe(100);
  });

  it('has defaults: 250 ms doubling up to 30 s', () => {
    const backoff = new Backoff({ random: () => 1 });
    expect(backoff.ceilingMs(0)).toBe(250);
    expect(backoff.ceilingMs(3)).toBe(2000);
    expect(backoff.ceilingMs(20)).toBe(30_000);
  });

  it.each([
    ['baseMs', { baseMs: 0 }],
    ['maxMs', { maxMs: -1 }],
    ['factor', { factor: 0.5 }],
    ['factor', { factor: Number.NaN }],
    ['random', { random: undefined }],
  ])('rejects a bad %s with LB_SEGMENTS_INVALID_ARGUMENT', (argument, options) => {
    expect(() => new Backoff({ random: Math.random, ...options } as never)).toThrow(
      expect.objectContaining({ code: 'LB_SEGMENTS_INVALID_ARGUMENT', argument }),
    );
  });
});
