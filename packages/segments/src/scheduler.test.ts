import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureError } from '../test/capture-error.js';
import { simulateDownload } from '../test/simulate-download.js';
import { planFragments } from './plan-fragments.js';
import { type Assignment, FragmentScheduler, type SchedulerOptions } from './scheduler.js';

const MiB = 1024 * 1024;

function scheduler(
  size: number,
  fragmentSize: number,
  sources: string[],
  options: Omit<SchedulerOptions, 'plan' | 'sources'> = {},
): FragmentScheduler {
  return new FragmentScheduler({
    ...options,
    plan: planFragments(size, { fragmentSize, maxFragments: Number.POSITIVE_INFINITY }),
    sources,
  });
}

/** Completes an assignment at `at`: bytes not reported yet count as arriving then. */
function finish(s: FragmentScheduler, a: Assignment, at: number, verified = true) {
  return s.complete(a.id, at, verified);
}

describe('FragmentScheduler: pulling work', () => {
  it('hands out the lowest missing fragment not in flight', () => {
    const s = scheduler(5000, 1000, ['a', 'b']);
    expect(s.next('a', 0)).toMatchObject({ index: 0, start: 0, end: 999, length: 1000 });
    expect(s.next('b', 0)).toMatchObject({ index: 1, start: 1000, end: 1999, duplicate: false });
  });

  it('skips fragments already done (from a manifest)', () => {
    const s = scheduler(5000, 1000, ['a'], { done: [0, 1, 3] });
    expect(s.doneCount).toBe(3);
    expect(s.missingBytes()).toBe(2000);
    const first = s.next('a', 0)!;
    expect(first.index).toBe(2);
    finish(s, first, 10);
    expect(s.next('a', 10)!.index).toBe(4);
  });

  it('makes faster sources do more (simulation, 1/2/4/8 MiB/s)', () => {
    const result = simulateDownload({
      plan: planFragments(64 * MiB),
      sources: [1, 2, 4, 8].map((rate) => ({ id: `${rate}`, bytesPerSecond: rate * MiB })),
    });
    expect(result.complete).toBe(true);
    expect(result.acceptedPerFragment.every((n) => n === 1)).toBe(true);
    const done = result.stats.map((st) => st.fragmentsDone);
    expect(done[0]).toBeLessThan(done[1]!);
    expect(done[1]).toBeLessThan(done[2]!);
    expect(done[2]).toBeLessThan(done[3]!);
    expect(done.reduce((a, b) => a + b, 0)).toBe(64);
  });

  it('completes an empty file at once', () => {
    const s = scheduler(0, 1000, ['a']);
    expect(s.isComplete()).toBe(true);
    expect(s.next('a', 0)).toBeNull();
    expect(s.doneFragments()).toEqual([]);
  });
});

describe('FragmentScheduler: failures', () => {
  it('returns the fragment of a source that dies mid-transfer to the pool', () => {
    const s = scheduler(3000, 1000, ['a', 'b']);
    const a = s.next('a', 0)!;
    const b = s.next('b', 0)!;
    s.progress(a.id, 400, 50);
    expect(s.fail('a', 60, 'reset')).toEqual({ requeued: [0] });
    expect(s.sourceStats('a')).toMatchObject({
      failures: 1,
      lastFailure: 'reset',
      wastedBytes: 400,
    });
    expect(s.assignment(a.id)).toBeUndefined();
    finish(s, b, 100);
    // The survivor takes the returned fragment first (lowest index), then the rest.
    expect(s.next('b', 100)!.index).toBe(0);
  });

  it('fails by assignment id too, and ignores a second fail of the same transfer', () => {
    const s = scheduler(2000, 1000, ['a']);
    const a = s.next('a', 0)!;
    expect(s.fail(a.id, 10, 'closed')).toEqual({ requeued: [0] });
    expect(s.fail(a.id, 11, 'closed')).toEqual({ requeued: [] });
    expect(s.sourceStats('a').failures).toBe(1);
    expect(s.next('a', 12)!.index).toBe(0);
  });

  it('counts a failure of an idle source without changing the pool', () => {
    const s = scheduler(2000, 1000, ['a']);
    expect(s.fail('a', 0, 'refused')).toEqual({ requeued: [] });
    expect(s.sourceStats('a')).toMatchObject({ failures: 1, lastFailure: 'refused' });
    expect(s.next('a', 1)!.index).toBe(0);
  });

  it('lets the survivors finish when a source dies mid-fragment (simulation)', () => {
    const result = simulateDownload({
      plan: planFragments(32 * MiB),
      sources: [
        { id: 'slow', bytesPerSecond: 2 * MiB },
        { id: 'dies', bytesPerSecond: 8 * MiB, dieAtMs: 1030 },
        { id: 'fast', bytesPerSecond: 8 * MiB },
      ],
    });
    expect(result.complete).toBe(true);
    expect(result.acceptedPerFragment.every((n) => n === 1)).toBe(true);
    const dead = result.stats.find((st) => st.id === 'dies')!;
    expect(dead).toMatchObject({ removed: true, failures: 1, lastFailure: 'reset' });
    expect(dead.wastedBytes).toBeGreaterThan(0);
  });

  it('re-fetches a fragment whose hash did not match from another source', () => {
    const s = scheduler(3000, 1000, ['a', 'b']);
    const a = s.next('a', 0)!;
    expect(finish(s, a, 10, false)).toEqual({ accepted: false, cancel: [] });
    expect(s.isDone(0)).toBe(false);
    expect(s.sourceStats('a')).toMatchObject({ badFragments: 1, wastedBytes: 1000 });
    // 'a' served fragment 0 corrupted: it is not offered it again while 'b' could fetch it.
    expect(s.next('a', 10)!.index).toBe(1);
    const b = s.next('b', 10)!;
    expect(b.index).toBe(0);
    expect(finish(s, b, 20)).toEqual({ accepted: true, cancel: [] });
    expect(s.sourceStats('b').badFragments).toBe(0);
  });

  it('retries a bad fragment on the same source when it is the only one left', () => {
    const s = scheduler(1000, 1000, ['a']);
    finish(s, s.next('a', 0)!, 10, false);
    const again = s.next('a', 10)!;
    expect(again.index).toBe(0);
    finish(s, again, 20);
    expect(s.isComplete()).toBe(true);
  });

  it('finishes after dropping a source that corrupts everything (simulation)', () => {
    const result = simulateDownload({
      plan: planFragments(16 * MiB),
      sources: [
        { id: 'good', bytesPerSecond: 4 * MiB },
        { id: 'evil', bytesPerSecond: 16 * MiB, corrupt: () => true },
      ],
    });
    expect(result.complete).toBe(true);
    expect(result.acceptedPerFragment.every((n) => n === 1)).toBe(true);
    expect(result.stats.find((st) => st.id === 'evil')).toMatchObject({
      badFragments: 2,
      removed: true,
      fragmentsDone: 0,
    });
  });

  it('removes a source: its transfer goes back, next() refuses it, addSource brings it back', () => {
    const s = scheduler(2000, 1000, ['a', 'b']);
    s.next('a', 0);
    expect(s.removeSource('a', 5)).toEqual({ requeued: [0] });
    expect(s.removeSource('a', 6)).toEqual({ requeued: [] });
    expect(s.sourceStats('a')).toMatchObject({ removed: true, lastFailure: 'removed' });
    expect(captureError(() => s.next('a', 7))).toMatchObject({
      code: 'LB_SEGMENTS_UNKNOWN_SOURCE',
    });
    expect(s.next('b', 7)!.index).toBe(0);
    s.addSource('a');
    expect(s.next('a', 8)!.index).toBe(1);
  });
});

describe('FragmentScheduler: sources grouped by mirror', () => {
  it('does not offer a bad fragment to another connection of the same mirror', () => {
    const s = scheduler(3000, 1000, []);
    s.addSource('1', { group: 'm1' });
    s.addSource('1.2', { group: 'm1' });
    s.addSource('2', { group: 'm2' });
    finish(s, s.next('1', 0)!, 10, false);
    expect(s.sourceStats('1.2').group).toBe('m1');
    // Mirror m1 served fragment 0 corrupted: neither of its connections gets it while m2 could.
    expect(s.next('1.2', 10)!.index).toBe(1);
    expect(s.next('1', 10)!.index).toBe(2);
    expect(s.next('2', 10)!.index).toBe(0);
  });

  it('removeGroup removes every connection of a mirror and returns their fragments', () => {
    const s = scheduler(3000, 1000, []);
    s.addSource('1', { group: 'm1' });
    s.addSource('1.2', { group: 'm1' });
    s.addSource('2', { group: 'm2' });
    s.next('1', 0);
    s.next('1.2', 0);
    expect(s.removeGroup('m1', 5)).toEqual({ requeued: [0, 1] });
    expect(s.removeGroup('m1', 6)).toEqual({ requeued: [] });
    expect(s.removeGroup('never-added', 6)).toEqual({ requeued: [] });
    expect(s.sources().map((st) => [st.id, st.removed])).toEqual([
      ['1', true],
      ['1.2', true],
      ['2', false],
    ]);
    expect(captureError(() => s.next('1.2', 7))).toMatchObject({
      code: 'LB_SEGMENTS_UNKNOWN_SOURCE',
    });
    expect(s.next('2', 7)!.index).toBe(0);
  });

  it('a source without a group is its own group', () => {
    const s = scheduler(1000, 1000, ['a']);
    expect(s.sourceStats('a').group).toBe('a');
  });
});

describe('FragmentScheduler: endgame', () => {
  /** f and g: 10 bytes/ms, s: 1 byte/ms; fragments of 1000 bytes; at 200 only 's' is busy. */
  function racing(options: Omit<SchedulerOptions, 'plan' | 'sources'> = {}) {
    const s = scheduler(4000, 1000, ['f', 's', 'g'], {
      endgame: { holdBackSlow: false },
      ...options,
    });
    const f0 = s.next('f', 0)!;
    const s1 = s.next('s', 0)!;
    const g2 = s.next('g', 0)!;
    finish(s, f0, 100);
    finish(s, g2, 100);
    s.progress(s1.id, 100, 100);
    const f3 = s.next('f', 100)!;
    expect(f3.index).toBe(3);
    finish(s, f3, 200);
    return { s, s1 };
  }

  it('duplicates the fragment expected to finish last and cancels the loser', () => {
    const { s, s1 } = racing();
    const copy = s.next('f', 200)!;
    expect(copy).toMatchObject({ index: 1, duplicate: true, sourceId: 'f' });
    s.progress(s1.id, 100, 250);
    const result = finish(s, copy, 300);
    expect(result).toEqual({ accepted: true, cancel: [s1] });
    expect(s.isComplete()).toBe(true);
    expect(s.sourceStats('s')).toMatchObject({ duplicateBytes: 200, fragmentsDone: 0 });
    // The loser's late reports are ignored.
    expect(s.progress(s1.id, 100, 310)).toBe(false);
    expect(s.complete(s1.id, 320, true)).toEqual({ accepted: false, cancel: [] });
    expect(s.fail(s1.id, 330, 'closed')).toEqual({ requeued: [] });
    expect(s.doneFragments()).toEqual([0, 1, 2, 3]);
  });

  it('keeps at most one copy besides the original', () => {
    const { s } = racing();
    expect(s.next('f', 200)!.duplicate).toBe(true);
    // 'g' is as fast as 'f', but fragment 1 already has its copy.
    expect(s.next('g', 200)).toBeNull();
  });

  it('lets the original win when it completes first', () => {
    const { s, s1 } = racing();
    const copy = s.next('f', 200)!;
    const result = finish(s, s1, 210);
    expect(result).toEqual({ accepted: true, cancel: [copy] });
    expect(s.sourceStats('f').duplicateBytes).toBe(0);
  });

  it('does not duplicate when the copy would not finish clearly sooner', () => {
    const s = scheduler(2000, 1000, ['a', 'b'], { endgame: { holdBackSlow: false } });
    const a = s.next('a', 0)!;
    const b = s.next('b', 0)!;
    s.progress(b.id, 900, 100); // b: 9 bytes/ms, 100 bytes left
    finish(s, a, 100); // a: 10 bytes/ms
    expect(s.next('a', 100)).toBeNull();
  });

  it('does not duplicate with endgame.duplicate off', () => {
    const { s } = racing({ endgame: { duplicate: false, holdBackSlow: false } });
    expect(s.next('f', 200)).toBeNull();
  });

  it('holds back a slow source near the end, and lets it in when the fast one dies', () => {
    const s = scheduler(20_000, 1000, ['f', 's']);
    const slow = s.next('s', 0)!;
    let t = 0;
    for (let i = 0; i < 10; i++) {
      t += 100;
      finish(s, s.next('f', t - 100)!, t);
    }
    // t = 1000: 'f' did 10 fragments at 10 bytes/ms; 's' finishes its first at 1 byte/ms.
    const current = s.next('f', 1000)!;
    finish(s, slow, 1000);
    // Eight fragments are left; 'f' will have done them all by 1900, 's' would need until 2000.
    expect(s.next('s', 1000)).toBeNull();
    expect(s.fail('f', 1050, 'reset')).toEqual({ requeued: [current.index] });
    expect(s.next('s', 1050)!.index).toBe(current.index);
  });
});

describe('FragmentScheduler: stall detection', () => {
  it('reports an assignment with no byte for stall.noBytesMs', () => {
    const s = scheduler(2000, 1000, ['a']);
    const a = s.next('a', 0)!;
    s.progress(a.id, 10, 1000);
    expect(s.stalled(5999)).toEqual([]);
    expect(s.stalled(6000)).toEqual([a.id]);
    // A query only: the caller decides.
    expect(s.assignment(a.id)).toBe(a);
    s.fail(a.id, 6000, 'stalled');
    expect(s.stalled(6000)).toEqual([]);
  });

  it('reports one far below the median of the others after the grace period', () => {
    const s = scheduler(1_000_000, 100_000, ['a', 'b', 'c']);
    const a = s.next('a', 0)!;
    const b = s.next('b', 0)!;
    const c = s.next('c', 0)!;
    for (const [t, fast, slow] of [
      [1000, 10_000, 300],
      [2000, 10_000, 300],
    ] as const) {
      s.progress(b.id, fast, t);
      s.progress(c.id, fast, t);
      s.progress(a.id, slow, t);
    }
    expect(s.stalled(2999)).toEqual([]);
    s.progress(b.id, 10_000, 3000);
    s.progress(c.id, 10_000, 3000);
    s.progress(a.id, 300, 3000);
    // a: 900 bytes in 3 s = 0.3 bytes/ms; the others 10 bytes/ms, / 8 = 1.25.
    expect(s.stalled(3000)).toEqual([a.id]);
  });

  it('does not call a lone source slow', () => {
    const s = scheduler(1_000_000, 100_000, ['a']);
    const a = s.next('a', 0)!;
    s.progress(a.id, 1, 4000);
    expect(s.stalled(4000)).toEqual([]);
  });

  it('recovers from a source that hangs without closing (simulation)', () => {
    const result = simulateDownload({
      plan: planFragments(8 * MiB),
      sources: [
        { id: 'hangs', bytesPerSecond: 4 * MiB, hangAtMs: 300 },
        { id: 'ok', bytesPerSecond: 2 * MiB },
      ],
    });
    expect(result.complete).toBe(true);
    expect(result.acceptedPerFragment.every((n) => n === 1)).toBe(true);
    expect(result.stats.find((st) => st.id === 'hangs')).toMatchObject({
      lastFailure: 'stalled',
      removed: true,
    });
  });
});

describe('FragmentScheduler: bad input', () => {
  it('rejects an unknown source with LB_SEGMENTS_UNKNOWN_SOURCE and changes nothing', () => {
    const s = scheduler(2000, 1000, ['a']);
    for (const call of [
      () => s.next('x', 0),
      () => s.fail('x', 0, 'reset'),
      () => s.removeSource('x', 0),
      () => s.sourceStats('x'),
    ]) {
      expect(captureError(call)).toMatchObject({
        code: 'LB_SEGMENTS_UNKNOWN_SOURCE',
        sourceId: 'x',
      });
    }
    expect(s.next('a', 0)!.index).toBe(0);
  });

  it('rejects next() for a busy source with LB_SEGMENTS_SOURCE_BUSY and keeps its transfer', () => {
    const s = scheduler(2000, 1000, ['a']);
    const a = s.next('a', 0)!;
    expect(captureError(() => s.next('a', 1))).toMatchObject({
      code: 'LB_SEGMENTS_SOURCE_BUSY',
      assignmentId: a.id,
    });
    expect(s.activeAssignments()).toEqual([a]);
    expect(finish(s, a, 2).accepted).toBe(true);
  });

  it('rejects an assignment id never issued with LB_SEGMENTS_UNKNOWN_ASSIGNMENT', () => {
    const s = scheduler(2000, 1000, ['a']);
    const a = s.next('a', 0)!;
    for (const id of [0, a.id + 1, -1, 1.5]) {
      expect(captureError(() => s.progress(id, 1, 1))).toMatchObject({
        code: 'LB_SEGMENTS_UNKNOWN_ASSIGNMENT',
      });
      expect(captureError(() => s.complete(id, 1, true))).toMatchObject({
        code: 'LB_SEGMENTS_UNKNOWN_ASSIGNMENT',
      });
      expect(captureError(() => s.fail(id, 1, 'reset'))).toMatchObject({
        code: 'LB_SEGMENTS_UNKNOWN_ASSIGNMENT',
      });
    }
    expect(s.activeAssignments()).toEqual([a]);
  });

  it('rejects a bad byte count with LB_SEGMENTS_INVALID_ARGUMENT and records nothing', () => {
    const s = scheduler(2000, 1000, ['a']);
    const a = s.next('a', 0)!;
    s.progress(a.id, 600, 10);
    for (const bytes of [-1, 1.5, Number.NaN, 401]) {
      expect(captureError(() => s.progress(a.id, bytes, 20))).toMatchObject({
        code: 'LB_SEGMENTS_INVALID_ARGUMENT',
        argument: 'bytes',
      });
    }
    expect(s.sourceStats('a').bytesReceived).toBe(600);
    expect(s.progress(a.id, 400, 20)).toBe(true);
  });

  it('rejects a non-finite now with LB_SEGMENTS_INVALID_ARGUMENT', () => {
    const s = scheduler(2000, 1000, ['a']);
    expect(captureError(() => s.next('a', Number.NaN))).toMatchObject({
      code: 'LB_SEGMENTS_INVALID_ARGUMENT',
      argument: 'now',
    });
    expect(s.activeAssignments()).toEqual([]);
  });

  it('rejects done indexes outside the plan and bad options with LB_SEGMENTS_INVALID_ARGUMENT', () => {
    const plan = planFragments(2000, { fragmentSize: 1000 });
    for (const [options, argument] of [
      [{ done: [2] }, 'done'],
      [{ done: [-1] }, 'done'],
      [{ done: [0.5] }, 'done'],
      [{ stall: { noBytesMs: 0 } }, 'stall.noBytesMs'],
      [{ stall: { slowFactor: -1 } }, 'stall.slowFactor'],
      [{ stall: { graceMs: Number.NaN } }, 'stall.graceMs'],
      [{ endgame: { minSpeedup: 0 } }, 'endgame.minSpeedup'],
      [{ rateHalfLifeMs: Number.POSITIVE_INFINITY }, 'rateHalfLifeMs'],
    ] as const) {
      expect(captureError(() => new FragmentScheduler({ plan, ...options }))).toMatchObject({
        code: 'LB_SEGMENTS_INVALID_ARGUMENT',
        argument,
      });
    }
  });
});

describe('FragmentScheduler: stats', () => {
  it('reports bytes, fragments and a rate per source', () => {
    const s = scheduler(3000, 1000, ['a']);
    const a = s.next('a', 0)!;
    s.progress(a.id, 500, 100);
    s.complete(a.id, 200, true); // the other 500 bytes count as arriving now
    expect(s.sourceStats('a')).toMatchObject({
      id: 'a',
      bytesReceived: 1000,
      fragmentsDone: 1,
      duplicateBytes: 0,
      wastedBytes: 0,
      badFragments: 0,
      failures: 0,
      activeAssignment: undefined,
    });
    expect(s.sourceStats('a').bytesPerSecond).toBeCloseTo(5000, 5);
    expect(s.sources().map((st) => st.id)).toEqual(['a']);
    expect(s.missingBytes()).toBe(2000);
  });
});

describe('FragmentScheduler: random interleavings (property)', () => {
  type Command =
    | { kind: 'next' | 'fail' | 'failSource' | 'remove' | 'add'; source: number; dt: number }
    | { kind: 'progress'; source: number; dt: number; fraction: number }
    | { kind: 'complete'; source: number; dt: number; verified: boolean };

  const command = (k: number): fc.Arbitrary<Command> => {
    const source = fc.nat(k - 1);
    const dt = fc.nat(200);
    return fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('next' as const), source, dt }) },
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('progress' as const),
          source,
          dt,
          fraction: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
      },
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('complete' as const),
          source,
          dt,
          verified: fc.nat(4).map((n) => n > 0), // 4 in 5 verify
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constantFrom(
            'fail' as const,
            'failSource' as const,
            'remove' as const,
            'add' as const,
          ),
          source,
          dt,
        }),
      },
    );
  };

  const scenario = fc
    .record({ k: fc.integer({ min: 1, max: 4 }), fragments: fc.integer({ min: 0, max: 12 }) })
    .chain(({ k, fragments }) =>
      fc.record({
        k: fc.constant(k),
        size: fc.integer({ min: Math.max(0, (fragments - 1) * 100 + 1), max: fragments * 100 }),
        commands: fc.array(command(k), { maxLength: 200, size: 'max' }),
      }),
    );

  it('never loses a fragment, never accepts one twice, and terminates', () => {
    fc.assert(
      fc.property(scenario, ({ k, size, commands }) => {
        const ids = Array.from({ length: k }, (_, i) => `s${i}`);
        const s = scheduler(size, 100, ids, { stall: { noBytesMs: 1000 } });
        const { plan } = s;
        const accepted = new Array<number>(plan.count).fill(0);
        const active = new Map<string, Assignment>();
        const removed = new Set<string>();
        let now = 0;

        const check = () => {
          let missing = 0;
          for (let i = 0; i < plan.count; i++) {
            if (accepted[i]! > 1) expect.fail(`fragment ${i} accepted twice`);
            if (s.isDone(i) !== (accepted[i] === 1)) expect.fail(`fragment ${i} done mismatch`);
            if (!s.isDone(i)) missing += plan.fragments[i]!.length;
          }
          expect(s.missingBytes()).toBe(missing);
          const live = s.activeAssignments();
          expect(new Set(live.map((a) => a.id))).toEqual(
            new Set([...active.values()].map((a) => a.id)),
          );
          const copies = new Map<number, number>();
          for (const a of live) {
            if (s.isDone(a.index)) expect.fail(`done fragment ${a.index} still in flight`);
            copies.set(a.index, (copies.get(a.index) ?? 0) + 1);
          }
          for (const n of copies.values()) expect(n).toBeLessThanOrEqual(2);
        };
        const sent = new Map<number, number>();

        for (const c of commands) {
          now += c.dt;
          const id = ids[c.source]!;
          const mine = active.get(id);
          switch (c.kind) {
            case 'next': {
              if (removed.has(id) || mine) break;
              const a = s.next(id, now);
              if (a) {
                expect(a.sourceId).toBe(id);
                expect(s.isDone(a.index)).toBe(false);
                active.set(id, a);
              }
              break;
            }
            case 'progress': {
              if (!mine) break;
              const left = mine.length - (sent.get(mine.id) ?? 0);
              const bytes = Math.floor(left * c.fraction);
              expect(s.progress(mine.id, bytes, now)).toBe(true);
              sent.set(mine.id, (sent.get(mine.id) ?? 0) + bytes);
              break;
            }
            case 'complete': {
              if (!mine) break;
              const result = s.complete(mine.id, now, c.verified);
              active.delete(id);
              expect(result.accepted).toBe(c.verified);
              if (result.accepted) accepted[mine.index]!++;
              for (const cancelled of result.cancel) {
                expect(cancelled.index).toBe(mine.index);
                expect(active.get(cancelled.sourceId)?.id).toBe(cancelled.id);
                active.delete(cancelled.sourceId);
              }
              break;
            }
            case 'fail': {
              if (!mine) break;
              s.fail(mine.id, now, 'reset');
              active.delete(id);
              break;
            }
            case 'failSource': {
              s.fail(id, now, 'closed');
              active.delete(id);
              break;
            }
            case 'remove': {
              s.removeSource(id, now);
              active.delete(id);
              removed.add(id);
              break;
            }
            case 'add': {
              s.addSource(id);
              removed.delete(id);
              break;
            }
          }
          for (const stalledId of s.stalled(now)) {
            const a = s.assignment(stalledId)!;
            s.fail(stalledId, now, 'stalled');
            active.delete(a.sourceId);
          }
          check();
        }

        // Drive to the end: every source back, every transfer closed, then pull until done.
        for (const id of ids) s.addSource(id);
        for (const a of active.values()) s.fail(a.id, now, 'closed');
        active.clear();
        for (let round = 0; !s.isComplete(); round++) {
          if (round > plan.count * 4 + 4) expect.fail('did not terminate');
          for (const id of ids) {
            const a = s.next(id, ++now);
            if (!a) continue;
            const result = finish(s, a, ++now);
            expect(result.accepted).toBe(true);
            accepted[a.index]!++;
          }
        }
        check();
        expect(accepted.every((n) => n === 1)).toBe(true);
        expect(s.doneFragments()).toEqual(plan.fragments.map((f) => f.index));
        expect(s.missingBytes()).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
