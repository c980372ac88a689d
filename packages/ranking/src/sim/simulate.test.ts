import { describe, expect, it } from 'vitest';
import { LeastPendingP2cStrategy } from '../strategies/least-pending-p2c.js';
import { RandomStrategy } from '../strategies/random.js';
import type { Outcome, PickContext, PickResult, Sample, Strategy } from '../types.js';
import { simulate } from './simulate.js';
import type {
  ServerDisruption,
  SimulatedServerConfig,
  SimulationConfig,
} from './simulation-config.js';
import { RequestOutcomeCode, type SimulationResult } from './simulation-result.js';

const constant = (ms: number) => ({ kind: 'constant', ms }) as const;
const random = { kind: 'strategy', name: 'random' } as const;

function oneServer(server: Partial<SimulatedServerConfig> = {}): SimulatedServerConfig[] {
  return [{ serviceTime: constant(10), ...server }];
}

/** One server (10 ms service, no queueing) under `disruptions`; a request every 10 ms. */
function throughWindows(
  disruptions: readonly ServerDisruption[],
  requests: number,
): SimulationResult {
  return simulate({
    servers: oneServer({ concurrency: Number.POSITIVE_INFINITY, disruptions }),
    selector: random,
    arrivals: { kind: 'fixed', requests, ratePerSec: 100 },
  });
}

/** Wraps the random strategy to record what the simulator tells it. */
function recordingFactory() {
  const log = {
    picks: [] as PickContext[],
    samples: [] as Array<{ id: string; sample: Sample; now: number }>,
  };
  const selector = {
    kind: 'factory',
    create: (deps: { random: () => number }): Strategy => {
      const inner = new RandomStrategy(deps);
      return {
        name: 'recording',
        get endpoints() {
          return inner.endpoints;
        },
        setEndpoints: (endpoints) => inner.setEndpoints(endpoints),
        apply: (change) => inner.apply(change),
        observe: (id, sample, now) => {
          log.samples.push({ id, sample, now });
        },
        pick: (ctx): PickResult => {
          log.picks.push(ctx);
          return inner.pick(ctx);
        },
        shares: (now) => inner.shares(now),
      };
    },
  } as const;
  return { log, selector };
}

describe('simulate: one server, hand-computed timelines', () => {
  it('queues a burst FIFO behind one slot', () => {
    const result = simulate({
      servers: oneServer(),
      selector: random,
      arrivals: { kind: 'fixed', requests: 3 },
    });
    expect([...result.latenciesMs]).toEqual([10, 20, 30]);
    expect(result.endTimeMs).toBe(30);
    expect(result.counts).toEqual({
      measured: 3,
      succeeded: 3,
      failed: 0,
      timedOut: 0,
      unrouted: 0,
    });
    expect(result.perServer).toEqual([
      { id: 's0', requests: 3, succeeded: 3, failed: 0, timedOut: 0 },
    ]);
    expect(result.latency).toMatchObject({ count: 3, mean: 20, p50: 20, max: 30 });
    expect(result.successRate).toBe(1);
  });

  it('serves `concurrency` requests in parallel', () => {
    const result = simulate({
      servers: oneServer({ concurrency: 2 }),
      selector: random,
      arrivals: { kind: 'fixed', requests: 3 },
    });
    expect([...result.latenciesMs]).toEqual([10, 10, 20]);
  });

  it('adds the round trip, half each way', () => {
    const result = simulate({
      servers: oneServer({ rttMs: 4 }),
      selector: random,
      arrivals: { kind: 'fixed', requests: 2 },
    });
    expect([...result.latenciesMs]).toEqual([14, 24]);
  });

  it('ends a request at the timeout with exactly the timeout as latency', () => {
    const result = simulate({
      servers: oneServer(),
      selector: random,
      arrivals: { kind: 'fixed', requests: 3 },
      requestTimeoutMs: 25,
    });
    expect([...result.latenciesMs]).toEqual([10, 20, 25]);
    expect([...result.outcomes]).toEqual([
      RequestOutcomeCode.succeeded,
      RequestOutcomeCode.succeeded,
      RequestOutcomeCode.timedOut,
    ]);
    expect(result.counts.timedOut).toBe(1);
    expect(result.successLatency).toMatchObject({ count: 2, max: 20 });
  });

  it('keeps serving abandoned requests: work that timed out still occupies the slot', () => {
    const result = simulate({
      servers: oneServer(),
      selector: random,
      // Arrivals at 0, 5, 10: the second times out at 5 + 8 = 13 but is served 10–20.
      arrivals: { kind: 'fixed', requests: 3, ratePerSec: 200 },
      requestTimeoutMs: 8,
    });
    expect([...result.outcomes]).toEqual([
      RequestOutcomeCode.timedOut,
      RequestOutcomeCode.timedOut,
      RequestOutcomeCode.timedOut,
    ]);
    const noTimeout = simulate({
      servers: oneServer(),
      selector: random,
      arrivals: { kind: 'fixed', requests: 3, ratePerSec: 200 },
    });
    // Without the timeout, the third request waits for both earlier ones: 30 - 10 = 20 ms.
    expect([...noTimeout.latenciesMs]).toEqual([10, 15, 20]);
  });

  it('drives a closed loop: each outcome issues the next request', () => {
    const result = simulate({
      servers: oneServer(),
      selector: random,
      arrivals: { kind: 'closed-loop', requests: 4, concurrency: 2 },
    });
    // Requests at 0, 0, 10, 20 finish at 10, 20, 30, 40.
    expect([...result.latenciesMs]).toEqual([10, 20, 20, 20]);
    expect(result.endTimeMs).toBe(40);
  });

  it('leaves warm-up arrivals out of the statistics but not out of the traffic series', () => {
    const result = simulate({
      servers: oneServer({ concurrency: Number.POSITIVE_INFINITY }),
      selector: random,
      arrivals: { kind: 'fixed', requests: 10, ratePerSec: 1000 },
      warmupMs: 5,
      trafficBucketMs: 5,
    });
    expect(result.totalRequests).toBe(10);
    expect(result.counts.measured).toBe(5);
    expect(result.latenciesMs).toHaveLength(5);
    expect(result.perServer[0]!.requests).toBe(5);
    expect(result.traffic.buckets.map((b) => b.requests)).toEqual([5, 5]);
  });
});

describe('simulate: disruptions', () => {
  it("fails requests fast while a server is 'down', including the one it held", () => {
    const result = simulate({
      servers: oneServer({ disruptions: [{ kind: 'down', fromMs: 5, untilMs: 100 }] }),
      selector: random,
      arrivals: { kind: 'fixed', requests: 11, ratePerSec: 100 },
    });
    // Request 0 (0 ms) is in service when the server goes down at 5; 1–9 (10…90 ms) find it down;
    // request 10 (100 ms) finds it back up.
    expect([...result.outcomes]).toEqual([...Array(10).fill(1), 0]);
    expect([...result.latenciesMs]).toEqual([5, ...Array(9).fill(0), 10]);
    expect(result.counts).toMatchObject({ succeeded: 1, failed: 10 });
    expect(result.perServer[0]).toMatchObject({ failed: 10, succeeded: 1 });
  });

  it("lets a 'black-hole' outage time requests out", () => {
    const result = simulate({
      servers: oneServer({
        disruptions: [{ kind: 'down', fromMs: 5, untilMs: 100, mode: 'black-hole' }],
      }),
      selector: random,
      arrivals: { kind: 'fixed', requests: 11, ratePerSec: 100 },
      requestTimeoutMs: 50,
    });
    expect([...result.outcomes]).toEqual([...Array(10).fill(2), 0]);
    expect(result.latency.max).toBe(50);
  });

  it("multiplies service times in a 'slow' window (overlapping factors multiply)", () => {
    const result = throughWindows(
      [
        { kind: 'slow', fromMs: 10, untilMs: 30, factor: 3 },
        { kind: 'slow', fromMs: 20, untilMs: 40, factor: 2 },
      ],
      5,
    );
    expect([...result.latenciesMs]).toEqual([10, 30, 60, 20, 10]);
  });

  it("pins service time in a 'pinned' window", () => {
    const result = throughWindows(
      [{ kind: 'pinned', fromMs: 10, untilMs: 20, latencyMs: 2000 }],
      3,
    );
    expect([...result.latenciesMs]).toEqual([10, 2000, 10]);
  });

  it('hands over between back-to-back windows listed in any order', () => {
    const result = throughWindows(
      [
        { kind: 'pinned', fromMs: 20, untilMs: 30, latencyMs: 7 },
        { kind: 'pinned', fromMs: 10, untilMs: 20, latencyMs: 3 },
        { kind: 'down', fromMs: 40, untilMs: 50 },
        { kind: 'down', fromMs: 30, untilMs: 40 },
      ],
      6,
    );
    expect([...result.latenciesMs]).toEqual([10, 3, 7, 0, 0, 10]);
    expect([...result.outcomes]).toEqual([0, 0, 0, 1, 1, 0]);
  });

  it('sends half the traffic of a random balancer to a dead server, and all its requests fail', () => {
    const result = simulate({
      servers: [
        { serviceTime: constant(1), concurrency: 8 },
        {
          serviceTime: constant(1),
          concurrency: 8,
          disruptions: [{ kind: 'down', fromMs: 0, untilMs: 1e9 }],
        },
      ],
      selector: random,
      arrivals: { kind: 'poisson', ratePerSec: 1000, requests: 4000 },
    });
    const [up, down] = result.perServer;
    expect(down!.succeeded).toBe(0);
    expect(down!.failed).toBe(down!.requests);
    expect(up!.failed).toBe(0);
    expect(result.successRate).toBeCloseTo(0.5, 1);
  });
});

describe('simulate: the strategy interface', () => {
  it('passes hash keys in the pick context when configured', () => {
    const { log, selector } = recordingFactory();
    simulate({
      servers: oneServer(),
      selector,
      arrivals: { kind: 'fixed', requests: 50 },
      hashKeys: { kind: 'uniform', keys: 3 },
    });
    expect(new Set(log.picks.map((p) => p.hashKey))).toEqual(new Set(['key-0', 'key-1', 'key-2']));
    const without = recordingFactory();
    simulate({
      servers: oneServer(),
      selector: without.selector,
      arrivals: { kind: 'fixed', requests: 2 },
    });
    expect(without.log.picks.map((p) => p.hashKey)).toEqual([undefined, undefined]);
  });

  it('probes every server each interval and reports service time plus round trip', () => {
    const { log, selector } = recordingFactory();
    simulate({
      servers: [
        { id: 'near', serviceTime: constant(10) },
        { id: 'far', serviceTime: constant(10), rttMs: 30 },
        {
          id: 'dead',
          serviceTime: constant(10),
          disruptions: [{ kind: 'down', fromMs: 0, untilMs: 1e9 }],
        },
      ],
      selector,
      arrivals: { kind: 'fixed', requests: 4, ratePerSec: 10 },
      probes: { intervalMs: 100, bytes: 1000 },
    });
    const near = log.samples.filter((s) => s.id === 'near');
    expect(near[0]).toEqual({
      id: 'near',
      now: 10,
      sample: { kind: 'probe', ok: true, totalMs: 10, bytes: 1000, bytesPerSec: 100_000 },
    });
    expect(near.slice(0, 3).map((s) => s.now)).toEqual([10, 110, 210]);
    expect(log.samples.find((s) => s.id === 'far')).toMatchObject({
      now: 40,
      sample: { ok: true, totalMs: 40 },
    });
    expect(log.samples.find((s) => s.id === 'dead')).toEqual({
      id: 'dead',
      now: 0,
      sample: { kind: 'probe', ok: false },
    });
  });

  it('reports a probe slower than its timeout as failed at the timeout', () => {
    const { log, selector } = recordingFactory();
    simulate({
      servers: oneServer({
        disruptions: [{ kind: 'pinned', fromMs: 0, untilMs: 1e9, latencyMs: 500 }],
      }),
      selector,
      arrivals: { kind: 'fixed', requests: 1 },
      probes: { intervalMs: 1000, timeoutMs: 200 },
    });
    expect(log.samples[0]).toEqual({ id: 's0', now: 200, sample: { kind: 'probe', ok: false } });
  });

  it('counts requests as unrouted, latency 0, when the strategy has nothing to pick', () => {
    const result = simulate({
      servers: oneServer({ weight: 0 }),
      selector: random,
      arrivals: { kind: 'fixed', requests: 4 },
    });
    expect(result.counts).toMatchObject({ unrouted: 4, measured: 4 });
    expect([...result.outcomes]).toEqual(Array(4).fill(RequestOutcomeCode.unrouted));
    expect(result.perServer[0]!.requests).toBe(0);
    expect(result.traffic.buckets).toEqual([]);
  });

  it('calls done once per request with the outcome the client saw', () => {
    const outcomes: Array<{ ok: boolean; latencyMs: number; now: number }> = [];
    const config: SimulationConfig = {
      servers: oneServer({ disruptions: [{ kind: 'down', fromMs: 15, untilMs: 1e9 }] }),
      selector: {
        kind: 'factory',
        create: (deps) => {
          const inner = new RandomStrategy(deps);
          return Object.assign(Object.create(inner) as Strategy, {
            pick: (ctx: PickContext): PickResult => {
              const r = inner.pick(ctx);
              return r.ok ? { ...r, done: (o) => outcomes.push(o) } : r;
            },
            setEndpoints: (e: Parameters<Strategy['setEndpoints']>[0]) => inner.setEndpoints(e),
          });
        },
      },
      arrivals: { kind: 'fixed', requests: 3, ratePerSec: 100 },
    };
    simulate(config);
    // 0 → ok at 10; 10 → in service at 15 when the server dies; 20 → finds it down.
    expect(outcomes).toEqual([
      { ok: true, latencyMs: 10, now: 10 },
      { ok: false, latencyMs: 5, now: 15 },
      { ok: false, latencyMs: 0, now: 20 },
    ]);
  });
});

describe('simulate: the feedback path under load', () => {
  it('every pick gets one done at its outcome, with latency = outcome time − pick time; pending drains', () => {
    let strategy: LeastPendingP2cStrategy | undefined;
    const picks: Array<{ id: string; now: number; outcomes: Outcome[] }> = [];
    const maxPending = { value: 0 };
    const result = simulate({
      seed: 7,
      servers: Array.from({ length: 4 }, (_, i) => ({
        serviceTime: { kind: 'lognormal', medianMs: 10 * (i + 1), sigma: 0.5 },
        concurrency: 2,
        rttMs: 2,
        ...(i === 3
          ? { disruptions: [{ kind: 'down', mode: 'black-hole', fromMs: 1_000, untilMs: 2_000 }] }
          : i === 2
            ? { disruptions: [{ kind: 'down', fromMs: 500, untilMs: 1_500 }] }
            : {}),
      })),
      selector: {
        kind: 'factory',
        create: (deps) => {
          const inner = new LeastPendingP2cStrategy({}, deps);
          strategy = inner;
          return Object.assign(Object.create(inner) as Strategy, {
            pick: (ctx: PickContext): PickResult => {
              const picked = inner.pick(ctx);
              if (!picked.ok) return picked;
              const record = { id: picked.endpoint.id, now: ctx.now, outcomes: [] as Outcome[] };
              picks.push(record);
              const pending = inner.pending(picked.endpoint.id);
              maxPending.value = Math.max(maxPending.value, pending);
              return {
                ...picked,
                done: (outcome) => {
                  record.outcomes.push(outcome);
                  picked.done!(outcome);
                },
              };
            },
            setEndpoints: (e: Parameters<Strategy['setEndpoints']>[0]) => inner.setEndpoints(e),
          });
        },
      },
      arrivals: { kind: 'poisson', ratePerSec: 150, requests: 3_000 },
      requestTimeoutMs: 250,
    });
    expect(picks).toHaveLength(3_000);
    for (const [i, pick] of picks.entries()) {
      expect(pick.outcomes).toHaveLength(1);
      const outcome = pick.outcomes[0]!;
      expect(outcome.latencyMs).toBeCloseTo(outcome.now - pick.now, 9);
      expect(outcome.latencyMs).toBe(result.latenciesMs[i]!);
      expect(outcome.ok).toBe(result.outcomes[i] === RequestOutcomeCode.succeeded);
    }
    expect(result.counts.failed).toBeGreaterThan(0);
    expect(result.counts.timedOut).toBeGreaterThan(0);
    expect(maxPending.value).toBeGreaterThan(2);
    for (const id of ['s0', 's1', 's2', 's3']) expect(strategy!.pending(id)).toBe(0);
  });
});

describe('simulate: join-shortest-queue oracle', () => {
  it('always joins the shorter queue', () => {
    const result = simulate({
      servers: [{ serviceTime: constant(10) }, { serviceTime: constant(10) }],
      selector: { kind: 'jsq-oracle' },
      arrivals: { kind: 'fixed', requests: 6 },
    });
    expect([...result.latenciesMs].sort((a, b) => a - b)).toEqual([10, 10, 20, 20, 30, 30]);
    expect(result.perServer.map((s) => s.requests)).toEqual([3, 3]);
  });

  it('never routes to a server that is down', () => {
    const result = simulate({
      servers: [
        { serviceTime: constant(10), disruptions: [{ kind: 'down', fromMs: 0, untilMs: 1e9 }] },
        { serviceTime: constant(10), concurrency: Number.POSITIVE_INFINITY },
      ],
      selector: { kind: 'jsq-oracle' },
      arrivals: { kind: 'fixed', requests: 20 },
    });
    expect(result.perServer.map((s) => s.requests)).toEqual([0, 20]);
    expect(result.successRate).toBe(1);
  });
});

describe('simulate: determinism', () => {
  const config = (seed: number): SimulationConfig => ({
    seed,
    servers: Array.from({ length: 5 }, (_, i) => ({
      serviceTime: { kind: 'lognormal', medianMs: 5 + i, sigma: 0.8 },
      concurrency: 2,
      rttMs: i,
    })),
    selector: random,
    arrivals: { kind: 'poisson', ratePerSec: 800, requests: 5000 },
    hashKeys: { kind: 'zipf', keys: 100, exponent: 1 },
    probes: { intervalMs: 250 },
    requestTimeoutMs: 100,
  });

  it('gives identical results for the same seed', () => {
    expect(simulate(config(42))).toEqual(simulate(config(42)));
  });

  it('gives different results for different seeds', () => {
    const a = simulate(config(42));
    const b = simulate(config(43));
    expect(a.latenciesMs).not.toEqual(b.latenciesMs);
    expect(a.perServer).not.toEqual(b.perServer);
  });

  it('keeps arrivals and service times independent of probing', () => {
    // Probes draw from their own stream: switching them on must not change what requests experience
    // under a strategy that ignores them.
    const withProbes = simulate(config(42));
    const { probes: _ignored, ...rest } = config(42);
    expect(simulate(rest).latenciesMs).toEqual(withProbes.latenciesMs);
  });
});
