import { describe, expect, it } from 'vitest';
import { nearestRank, summarizeLatencies } from './latency-summary.js';

describe('summarizeLatencies', () => {
  it('uses nearest-rank percentiles over 1..1000', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const summary = summarizeLatencies(values);
    expect(summary).toEqual({
      count: 1000,
      mean: 500.5,
      p50: 500,
      p95: 950,
      p99: 990,
      p999: 999,
      max: 1000,
    });
    // The input is left unsorted.
    expect(values[0]).toBe(1000);
  });

  it('reports the single value for every percentile of one sample', () => {
    expect(summarizeLatencies(Float64Array.of(7))).toMatchObject({ p50: 7, p999: 7, mean: 7 });
  });

  it('gives NaN statistics for no samples', () => {
    const summary = summarizeLatencies(new Float64Array(0));
    expect(summary.count).toBe(0);
    expect(summary.p99).toBeNaN();
    expect(summary.mean).toBeNaN();
  });

  it('nearestRank picks the smallest value covering q of the samples', () => {
    const sorted = Float64Array.of(1, 2, 3, 4);
    expect(nearestRank(sorted, 0.25)).toBe(1);
    expect(nearestRank(sorted, 0.26)).toBe(2);
    expect(nearestRank(sorted, 1)).toBe(4);
  });
});
