import { describe, expect, it } from 'vitest';
import { Ewma } from './ewma.js';
import { TransferEstimate } from './transfer-estimate.js';

describe('Ewma', () => {
  it('starts at the first sample and blends with alpha', () => {
    const ewma = new Ewma(0.5);
    expect(ewma.value).toBeUndefined();
    ewma.observe(10);
    ewma.observe(20);
    expect(ewma.value).toBe(15);
  });

  it('alpha 1 keeps the latest sample', () => {
    const ewma = new Ewma(1);
    ewma.observe(10);
    ewma.observe(3);
    expect(ewma.value).toBe(3);
  });
});

describe('TransferEstimate', () => {
  it('tracks probes, flags failures until the next success, ignores requests', () => {
    const estimate = new TransferEstimate(1);
    estimate.observe({ kind: 'probe', ok: true, totalMs: 100, bytes: 1000, bytesPerSec: 10_000 });
    estimate.observe({ kind: 'request', ok: false, latencyMs: 5 });
    expect([estimate.totalMs, estimate.bytesPerSec, estimate.failed]).toEqual([100, 10_000, false]);
    estimate.observe({ kind: 'probe', ok: false });
    expect(estimate.failed).toBe(true);
    expect(estimate.totalMs).toBe(100);
    estimate.observe({ kind: 'probe', ok: true, totalMs: 50, bytes: 1000, bytesPerSec: 20_000 });
    expect([estimate.totalMs, estimate.failed]).toEqual([50, false]);
  });
});
