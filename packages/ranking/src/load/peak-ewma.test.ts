import { describe, expect, it } from 'vitest';
import { PeakEwma } from './peak-ewma.js';

describe('PeakEwma', () => {
  it('is unmeasured until the first sample, which it takes as is', () => {
    const ewma = new PeakEwma(1_000);
    expect(ewma.measured).toBe(false);
    expect(ewma.estimate(0)).toBeUndefined();
    ewma.observe(40, 5);
    expect(ewma.measured).toBe(true);
    expect(ewma.estimate(5)).toBe(40);
  });

  it('a sample above the current estimate replaces it (peak)', () => {
    const ewma = new PeakEwma(1_000);
    ewma.observe(10, 0);
    ewma.observe(500, 1);
    expect(ewma.estimate(1)).toBe(500);
  });

  it('a lower sample blends with w = exp(-Δt/τ) against the decayed estimate', () => {
    const ewma = new PeakEwma(1_000);
    ewma.observe(100, 0);
    ewma.observe(20, 500);
    const w = Math.exp(-0.5);
    expect(ewma.estimate(500)).toBeCloseTo(100 * w + 20 * (1 - w), 12);
  });

  it('converges to a steady latency', () => {
    const ewma = new PeakEwma(1_000);
    ewma.observe(500, 0);
    for (let t = 100; t <= 20_000; t += 100) ewma.observe(50, t);
    expect(ewma.estimate(20_000)).toBeCloseTo(50, 6);
  });

  it('decays toward zero while idle, without mutating on read', () => {
    const ewma = new PeakEwma(2_000);
    ewma.observe(300, 1_000);
    expect(ewma.estimate(3_000)).toBeCloseTo(300 * Math.exp(-1), 12);
    expect(ewma.estimate(3_000)).toBeCloseTo(300 * Math.exp(-1), 12);
    expect(ewma.estimate(1_000)).toBe(300);
    // Reading before the last sample does not grow the estimate.
    expect(ewma.estimate(0)).toBe(300);
  });

  it('treats out-of-order samples as Δt = 0', () => {
    const ewma = new PeakEwma(1_000);
    ewma.observe(100, 1_000);
    ewma.observe(10, 0);
    expect(ewma.estimate(1_000)).toBe(100);
    ewma.observe(200, 0);
    expect(ewma.estimate(1_000)).toBe(200);
  });
});
