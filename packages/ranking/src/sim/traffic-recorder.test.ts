import { describe, expect, it } from 'vitest';
import { TrafficRecorder } from './traffic-recorder.js';

describe('TrafficRecorder', () => {
  it('splits routing decisions into buckets with per-server shares', () => {
    const recorder = new TrafficRecorder(100, 2);
    recorder.record(0, 0);
    recorder.record(50, 0);
    recorder.record(99, 1);
    recorder.record(100, 1);
    expect(recorder.buckets()).toEqual([
      { startMs: 0, requests: 3, shares: [2 / 3, 1 / 3] },
      { startMs: 100, requests: 1, shares: [0, 1] },
    ]);
  });

  it('keeps empty buckets in the series and grows past its initial capacity', () => {
    const recorder = new TrafficRecorder(1, 3);
    recorder.record(40.5, 2);
    const buckets = recorder.buckets();
    expect(buckets).toHaveLength(41);
    expect(buckets[10]).toEqual({ startMs: 10, requests: 0, shares: [0, 0, 0] });
    expect(buckets[40]).toEqual({ startMs: 40, requests: 1, shares: [0, 0, 1] });
  });
});
