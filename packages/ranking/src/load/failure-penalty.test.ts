import { describe, expect, it } from 'vitest';
import { DecayingCount } from './decaying-count.js';
import { FailurePenalty } from './failure-penalty.js';

describe('FailurePenalty', () => {
  it('is 0 until a failure arms it, then fades with exp(−Δt / decayMs)', () => {
    const penalty = new FailurePenalty(1_000);
    expect(penalty.value(0)).toBe(0);
    expect(penalty.failedAtMs).toBeUndefined();
    penalty.fail(5_000, 2_000);
    expect(penalty.value(2_000)).toBe(5_000);
    expect(penalty.value(3_000)).toBeCloseTo(5_000 * Math.exp(-1), 9);
    // Reading before the failure does not grow it, and reading never mutates.
    expect(penalty.value(0)).toBe(5_000);
    expect(penalty.value(3_000)).toBeCloseTo(5_000 * Math.exp(-1), 9);
    expect(penalty.failedAtMs).toBe(2_000);
  });

  it('a new failure re-arms it to at least its magnitude', () => {
    const penalty = new FailurePenalty(1_000);
    penalty.fail(5_000, 0);
    penalty.fail(100, 1_000);
    expect(penalty.value(1_000)).toBeCloseTo(5_000 * Math.exp(-1), 9);
    penalty.fail(5_000, 10_000);
    expect(penalty.value(10_000)).toBe(5_000);
  });

  it('only a success sent at or after the latest failure clears it', () => {
    const penalty = new FailurePenalty(1_000);
    penalty.fail(5_000, 1_000);
    // Sent at 990, still in flight when the failure came back: proves nothing.
    penalty.succeed(990);
    expect(penalty.value(1_000)).toBe(5_000);
    penalty.succeed(1_000);
    expect(penalty.value(1_000)).toBe(0);
    expect(penalty.failedAtMs).toBeUndefined();
  });
});

describe('DecayingCount', () => {
  it('halves every half-life; whole() rounds, so a lone failure counts for exactly one half-life', () => {
    const count = new DecayingCount(1_000);
    expect([count.value(0), count.whole(0)]).toEqual([0, 0]);
    count.add(0);
    expect(count.value(1_000)).toBe(0.5);
    expect([count.whole(0), count.whole(999), count.whole(1_000), count.whole(1_001)]).toEqual([
      1, 1, 1, 0,
    ]);
  });

  it('a burst fades one unit at a time', () => {
    const count = new DecayingCount(1_000);
    for (let i = 0; i < 4; i++) count.add(0);
    expect(count.whole(0)).toBe(4);
    expect(count.value(1_000)).toBe(2);
    expect(count.value(2_000)).toBe(1);
    expect(count.whole(4_000)).toBe(0);
  });

  it('adds to the decayed value; out-of-order adds count as Δt = 0', () => {
    const count = new DecayingCount(1_000);
    count.add(1_000);
    count.add(2_000);
    expect(count.value(2_000)).toBe(1.5);
    count.add(0);
    expect(count.value(2_000)).toBe(2.5);
  });
});
