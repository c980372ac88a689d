import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../stats/request-record.js';
import { analyzeKill, completionTimeline, failuresElsewhere } from './failover-analysis.js';

function record(fields: Partial<RequestRecord>): RequestRecord {
  return {
    index: 0,
    startedAtMs: 0,
    totalMs: 10,
    redirectMs: 1,
    server: 'other:1',
    status: 200,
    bytes: 5,
    ok: true,
    error: null,
    ...fields,
  };
}

const failed = (fields: Partial<RequestRecord>) =>
  record({ ok: false, status: 0, error: 'LB_WIRE_PREMATURE_CLOSE', ...fields });

describe('analyzeKill', () => {
  const kill = {
    atMs: 1000,
    victim: 'dead:1',
    victimPid: 42,
    replacement: 'new:1',
    goneAtMs: 1020,
    upAtMs: 1030,
  };

  it('splits the victim’s failures at the kill and at the moment /rep showed it gone', () => {
    const records = [
      failed({ server: 'dead:1', startedAtMs: 990, redirectMs: 5, totalMs: 15 }), // in flight
      failed({
        server: 'dead:1',
        startedAtMs: 1004,
        redirectMs: 1,
        error: 'LB_WIRE_CONNECT_FAILED',
      }),
      failed({
        server: 'dead:1',
        startedAtMs: 1050,
        redirectMs: 1,
        error: 'LB_WIRE_CONNECT_FAILED',
      }),
      record({ server: 'dead:1', startedAtMs: 900, totalMs: 50 }), // finished before: fine
      record({ server: 'new:1', startedAtMs: 1031, totalMs: 9 }), // first served at 1040
      record({ server: 'new:1', startedAtMs: 1100, totalMs: 9 }),
    ];
    expect(analyzeKill(records, kill, 500)).toEqual({
      victim: 'dead:1',
      victimPid: 42,
      replacement: 'new:1',
      goneAfterMs: 20,
      upAfterMs: 30,
      servedAfterMs: 40,
      lastRedirectAfterMs: 51,
      lostInFlight: 1,
      lostInDetectionWindow: 1,
      lostAfterDetection: 1,
      failures: { LB_WIRE_CONNECT_FAILED: 2, LB_WIRE_PREMATURE_CLOSE: 1 },
      lostElsewhere: 0,
      completedInWindow: 5,
    });
  });

  it('reports null times when the replacement never came', () => {
    const trial = analyzeKill(
      [],
      { ...kill, replacement: null, goneAtMs: null, upAtMs: null },
      500,
    );
    expect(trial).toMatchObject({
      goneAfterMs: null,
      upAfterMs: null,
      servedAfterMs: null,
      lastRedirectAfterMs: null,
    });
  });
});

describe('failuresElsewhere', () => {
  it('counts failures not on a killed replica, including those without a redirect', () => {
    const records = [
      failed({ server: 'dead:1' }),
      failed({ server: 'alive:2' }),
      failed({ server: null, error: 'LB_WIRE_CONNECT_FAILED' }),
      record({ server: 'alive:2' }),
    ];
    expect(failuresElsewhere(records, new Set(['dead:1']))).toBe(2);
  });
});

describe('completionTimeline', () => {
  it('buckets completions relative to the kill by outcome, empty buckets included', () => {
    const records = [
      record({ startedAtMs: 850, totalMs: 10 }), // finishes at -140 → bucket -200
      record({ startedAtMs: 990, totalMs: 15 }), // +5 → bucket 0
      failed({ startedAtMs: 1000, totalMs: 99 }), // +99 → bucket 0
      failed({ startedAtMs: 1000, totalMs: 100 }), // +100 → bucket 100
      record({ startedAtMs: 2000, totalMs: 1 }), // outside
    ];
    const timeline = completionTimeline(records, 1000, -200, 200, 100);
    expect(timeline.filter((bucket) => bucket.count > 0)).toEqual([
      { atMs: -200, outcome: 'ok', count: 1 },
      { atMs: 0, outcome: 'ok', count: 1 },
      { atMs: 0, outcome: 'failed', count: 1 },
      { atMs: 100, outcome: 'failed', count: 1 },
    ]);
    expect(timeline).toHaveLength(8);
  });
});
