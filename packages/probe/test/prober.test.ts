import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckFunction,
  InvalidProbeOptionError,
  type ProbeResult,
  Prober,
  type ProberTimers,
} from '../src/index.js';
import { deadPort, type LbServer, makeRoot, startLbServer } from './lb-server.js';

/** Timers the test fires by hand: nothing happens until `fire()`. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  const timers: ProberTimers = {
    setTimeout: (callback, ms) => {
      pending.set(next, { callback, ms });
      return next++;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    delays: () => [...pending.values()].map((timer) => timer.ms),
    fire() {
      const entries = [...pending.entries()];
      pending.clear();
      for (const [, timer] of entries) timer.callback();
    },
  };
}

function okResult(target: string): ProbeResult {
  return {
    ok: true,
    target,
    status: 200,
    connectMs: 1,
    ttfbMs: 2,
    totalMs: 3,
    bytes: 10,
    bytesPerSec: 3333,
    samples: 1,
  };
}

function failResult(target: string): ProbeResult {
  return {
    ok: false,
    target,
    error: { code: 'LB_WIRE_CONNECT_FAILED', message: 'refused' },
    totalMs: 1,
  };
}

/** A check whose outcome per target the test sets (`true` = success). */
function scriptedCheck(outcomes: Map<string, boolean>): CheckFunction {
  return async (target) =>
    (outcomes.get(target.id) ?? true) ? okResult(target.id) : failResult(target.id);
}

function recordTransitions(prober: Prober): string[] {
  const log: string[] = [];
  prober.on('up', (id) => log.push(`up ${id}`));
  prober.on('down', (id) => log.push(`down ${id}`));
  return log;
}

describe('Prober state machine', () => {
  it('decides a new target on its first result, then counts fall and rise', async () => {
    const outcomes = new Map([
      ['a.test:1', true],
      ['b.test:1', false],
    ]);
    const prober = new Prober({
      targets: ['a.test:1', 'b.test:1'],
      intervalMs: 1000,
      rise: 2,
      fall: 2,
      check: scriptedCheck(outcomes),
    });
    const log = recordTransitions(prober);
    await prober.runRound();
    expect(log).toEqual(['up a.test:1', 'down b.test:1']);

    outcomes.set('a.test:1', false);
    outcomes.set('b.test:1', true);
    await prober.runRound();
    expect(log).toHaveLength(2);
    expect(prober.status('a.test:1')).toMatchObject({ state: 'up', failStreak: 1, okStreak: 0 });
    expect(prober.status('b.test:1')).toMatchObject({ state: 'down', okStreak: 1 });

    await prober.runRound();
    expect(log).toEqual(['up a.test:1', 'down b.test:1', 'down a.test:1', 'up b.test:1']);
  });

  it('a success resets the failure streak', async () => {
    const outcomes = new Map([['a.test:1', true]]);
    const prober = new Prober({
      targets: ['a.test:1'],
      intervalMs: 1000,
      fall: 2,
      check: scriptedCheck(outcomes),
    });
    const log = recordTransitions(prober);
    for (const ok of [true, false, true, false, true]) {
      outcomes.set('a.test:1', ok);
      await prober.runRound();
    }
    expect(log).toEqual(['up a.test:1']);
  });

  it('emits round with the results in target order and result for each', async () => {
    const prober = new Prober({
      targets: ['a.test:1', 'b.test:2', 'c.test:3'],
      intervalMs: 1000,
      concurrency: 2,
      check: scriptedCheck(new Map([['b.test:2', false]])),
    });
    const results: string[] = [];
    prober.on('result', (result, status) => results.push(`${result.target} ${status.state}`));
    const rounds: ProbeResult[][] = [];
    prober.on('round', (round) => rounds.push(round));
    const returned = await prober.runRound();
    expect(returned.map((result) => [result.target, result.ok])).toEqual([
      ['a.test:1', true],
      ['b.test:2', false],
      ['c.test:3', true],
    ]);
    expect(rounds).toEqual([returned]);
    expect(results.sort()).toEqual(['a.test:1 up', 'b.test:2 down', 'c.test:3 up']);
  });

  it('never runs more checks at once than the concurrency bound', async () => {
    let active = 0;
    let peak = 0;
    const prober = new Prober({
      targets: Array.from({ length: 10 }, (_, i) => `h${i}.test:1`),
      intervalMs: 1000,
      concurrency: 3,
      check: async (target) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setImmediate(resolve));
        active--;
        return okResult(target.id);
      },
    });
    expect(await prober.runRound()).toHaveLength(10);
    expect(peak).toBe(3);
  });

  it('joins a round in progress instead of starting another', async () => {
    let checks = 0;
    const prober = new Prober({
      targets: ['a.test:1'],
      intervalMs: 1000,
      check: async (target) => {
        checks++;
        await new Promise((resolve) => setImmediate(resolve));
        return okResult(target.id);
      },
    });
    const [first, second] = await Promise.all([prober.runRound(), prober.runRound()]);
    expect(first).toBe(second);
    expect(checks).toBe(1);
  });

  it('drops the result of a target removed while it was being probed', async () => {
    let release: () => void = () => {};
    const prober = new Prober({
      targets: ['a.test:1', 'b.test:1'],
      intervalMs: 1000,
      check: async (target, signal) => {
        if (target.id === 'a.test:1') {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          expect(signal.aborted).toBe(true);
        }
        return okResult(target.id);
      },
    });
    const log = recordTransitions(prober);
    const round = prober.runRound();
    await new Promise((resolve) => setImmediate(resolve));
    expect(prober.remove('a.test:1')).toBe(true);
    expect(prober.remove('a.test:1')).toBe(false);
    release();
    expect((await round).map((result) => result.target)).toEqual(['b.test:1']);
    expect(log).toEqual(['up b.test:1']);
    expect(prober.targets()).toEqual(['b.test:1']);
    expect(prober.status('a.test:1')).toBeUndefined();
  });

  it('turns a check that throws into a failure result', async () => {
    const prober = new Prober({
      targets: ['a.test:1'],
      intervalMs: 1000,
      check: async () => {
        throw new Error('boom');
      },
    });
    expect(await prober.runRound()).toEqual([
      {
        ok: false,
        target: 'a.test:1',
        error: { code: 'LB_PROBE_UNEXPECTED', message: 'boom' },
        totalMs: 0,
      },
    ]);
  });

  it('probes one target on demand', async () => {
    const prober = new Prober({
      targets: ['a.test:1'],
      intervalMs: 1000,
      check: scriptedCheck(new Map()),
    });
    expect(await prober.probeNow('a.test:1')).toMatchObject({ ok: true });
    expect(await prober.probeNow('zzz.test:1')).toBeUndefined();
    expect(prober.status('a.test:1')?.state).toBe('up');
  });

  it.each([
    [{ intervalMs: 0 }, 'intervalMs'],
    [{ intervalMs: Number.POSITIVE_INFINITY }, 'intervalMs'],
    [{ intervalMs: 1, concurrency: 0 }, 'concurrency'],
    [{ intervalMs: 1, rise: 1.5 }, 'rise'],
    [{ intervalMs: 1, fall: -1 }, 'fall'],
    [{ intervalMs: 1, targets: ['nope'] }, 'target'],
  ])('rejects %j', (options, option) => {
    expect(() => new Prober(options as never)).toThrow(InvalidProbeOptionError);
    try {
      new Prober(options as never);
    } catch (error) {
      expect((error as InvalidProbeOptionError).option).toBe(option);
    }
  });
});

describe('Prober schedule', () => {
  /** A prober on manual timers whose every round "takes" `roundMs` of its clock. */
  function scheduled(intervalMs: number, roundMs: number) {
    const clock = { now: 0 };
    const manual = manualTimers();
    const prober = new Prober({
      targets: ['a.test:1'],
      intervalMs,
      timers: manual.timers,
      now: () => clock.now,
      check: async (target) => {
        clock.now += roundMs;
        return okResult(target.id);
      },
    });
    /** Resolves once the next round has been emitted and its listeners have run. */
    const nextRound = () =>
      new Promise<void>((resolve) => prober.once('round', () => setImmediate(resolve)));
    return { prober, manual, nextRound };
  }

  it('waits an interval before the first scheduled round and keeps the cadence', async () => {
    const { prober, manual, nextRound } = scheduled(1000, 300);
    let rounds = 0;
    prober.start();
    expect(manual.delays()).toEqual([1000]);
    expect(rounds).toBe(0);
    prober.on('round', () => rounds++);
    const first = nextRound();
    manual.fire();
    await first;
    expect(rounds).toBe(1);
    // Next round starts an interval after this one started: 1000 - 300.
    expect(manual.delays()).toEqual([700]);
    prober.stop();
    expect(manual.delays()).toEqual([]);
    expect(prober.running).toBe(false);
  });

  it('starts the next round at once when a round outlasts the interval', async () => {
    const { prober, manual, nextRound } = scheduled(100, 250);
    prober.start();
    const done = nextRound();
    manual.fire();
    await done;
    expect(manual.delays()).toEqual([0]);
    prober.stop();
  });
});

describe('Prober against real servers', () => {
  let root: Awaited<ReturnType<typeof makeRoot>>;
  let alive: LbServer;
  let doomed: LbServer;

  beforeAll(async () => {
    root = await makeRoot(64 * 1024);
    [alive, doomed] = await Promise.all([
      startLbServer(root.dir, ['--id', 'alive']),
      startLbServer(root.dir, ['--id', 'doomed']),
    ]);
  });

  afterAll(async () => {
    await Promise.all([alive?.kill(), doomed?.kill()]);
    await root?.remove();
  });

  it('marks live servers up, a dead port down, and a killed server down on the next round', async () => {
    const dead = `127.0.0.1:${await deadPort()}`;
    const prober = new Prober({
      targets: [alive.id, doomed.id, dead],
      intervalMs: 60_000,
      fall: 1,
    });
    const log = recordTransitions(prober);
    const first = await prober.runRound();
    expect(first.map((result) => result.ok)).toEqual([true, true, false]);
    expect(log.sort()).toEqual([`down ${dead}`, `up ${alive.id}`, `up ${doomed.id}`].sort());

    await doomed.kill();
    log.length = 0;
    await prober.runRound();
    expect(log.sort()).toEqual([`down ${doomed.id}`]);
    expect(prober.status(doomed.id)?.last).toMatchObject({
      ok: false,
      error: { code: 'LB_WIRE_CONNECT_FAILED' },
    });
    expect(prober.status(alive.id)?.state).toBe('up');
  });
});
