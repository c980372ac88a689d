import { performance } from 'node:perf_hooks';
import {
  createSeededRandom,
  createStrategy,
  type Endpoint,
  listStrategies,
  type Strategy,
} from '../src/index.js';
import { fmt, markdownTable } from './markdown-table.js';

/** Endpoint counts the pick benchmark runs at. */
export const PICK_SIZES = [3, 100, 1000] as const;
const RUNS = 5;
const MAX_PICKS_PER_RUN = 200_000;
/** A run aims at about this long, so slow strategies at 1000 endpoints do not take minutes. */
const TARGET_RUN_MS = 150;
const KEYS = Array.from({ length: 4096 }, (_, i) => `/files/object-${i}.bin`);

export interface PickMeasurement {
  readonly strategy: string;
  readonly endpoints: number;
  readonly picksPerRun: number;
  readonly nsPerPick: number;
}

function endpoints(n: number): Endpoint[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    address: `http://mirror-${i}.example:8080`,
    weight: 1 + (i % 3),
  }));
}

/**
 * Options a size needs beyond the defaults: the slot table must hold replicas × Σ weight slots, so
 * it is sized to 4× that (a quarter full), rounded up to a power of two.
 */
function optionsFor(name: string, members: readonly Endpoint[]): Record<string, unknown> {
  if (name !== 'consistent-hash-slots') return {};
  const replicas = members.reduce(
    (sum, e) => sum + Math.max(1, Math.round(32 * (e.weight ?? 1))),
    0,
  );
  return { slots: Math.max(512, 2 ** Math.ceil(Math.log2(4 * replicas))) };
}

/**
 * Puts `strategy` in steady state: every endpoint measured once by a probe, so measurement-driven
 * strategies take their normal path rather than a cold-start fallback.
 */
function probedOnce(strategy: Strategy, members: readonly Endpoint[]): Strategy {
  strategy.setEndpoints(members);
  strategy.endpoints.forEach((endpoint, i) => {
    const totalMs = 50 + (i % 17) * 7;
    strategy.observe(
      endpoint.id,
      { kind: 'probe', ok: true, totalMs, bytes: 65536, bytesPerSec: (65536 * 1000) / totalMs },
      0,
    );
  });
  return strategy;
}

function prepared(name: string, n: number): Strategy {
  const members = endpoints(n);
  const strategy = createStrategy(name, optionsFor(name, members), {
    random: createSeededRandom(1),
  });
  return probedOnce(strategy, members);
}

/** Runs `picks` picks (calling `done` when offered) and returns the elapsed ms. */
function runPicks(
  strategy: Strategy,
  picks: number,
  hashed: boolean,
  clock: { now: number },
): number {
  const start = performance.now();
  for (let i = 0; i < picks; i++) {
    // Virtual time advances 10 µs per pick: decaying estimators see a moving clock, as in service.
    clock.now += 0.01;
    const now = clock.now;
    const result = strategy.pick(hashed ? { now, hashKey: KEYS[i & 4095]! } : { now });
    if (result.ok && result.done) result.done({ ok: true, latencyMs: 5, now });
  }
  return performance.now() - start;
}

/** Warm-up, then the median ns per pick of `RUNS` runs sized to about `TARGET_RUN_MS` each. */
function measurePicks(
  name: string,
  n: number,
  strategy: Strategy,
  hashed: boolean,
): PickMeasurement {
  const clock = { now: 1 };
  // Warm-up doubles as calibration: JIT the pick path, then size the runs.
  runPicks(strategy, 20_000, hashed, clock);
  const calibrationMs = runPicks(strategy, 20_000, hashed, clock);
  const picks = Math.max(
    10_000,
    Math.min(
      MAX_PICKS_PER_RUN,
      Math.round((20_000 * TARGET_RUN_MS) / Math.max(calibrationMs, 1e-3)),
    ),
  );
  const samples = Array.from({ length: RUNS }, () => runPicks(strategy, picks, hashed, clock));
  samples.sort((a, b) => a - b);
  return {
    strategy: name,
    endpoints: n,
    picksPerRun: picks,
    nsPerPick: (samples[Math.floor(RUNS / 2)]! * 1e6) / picks,
  };
}

/** Median ns per pick of every registered strategy at each size (warm-up, then median of 5 runs). */
export function measurePickThroughput(): PickMeasurement[] {
  const out: PickMeasurement[] = [];
  for (const info of listStrategies()) {
    for (const n of PICK_SIZES) {
      out.push(measurePicks(info.name, n, prepared(info.name, n), info.hashed));
    }
  }
  return out;
}

/** Strategies measured behind the health wrapper with 1% of the endpoints down. */
const HEALTH_STRATEGIES = [
  'random',
  'least-pending-p2c',
  'p2c-peak-ewma',
  'inverse-time',
  'rank-weighted',
] as const;

/**
 * ns per pick with `health: true` and 10 of 1000 endpoints taken down by failed probes: the
 * wrapper passes them as `exclude`, so this is the exclusion path every balancer with health
 * checks runs on, not only retries.
 */
export function measureHealthPicks(): PickMeasurement[] {
  return HEALTH_STRATEGIES.map((name) => {
    const n = 1000;
    const members = endpoints(n);
    const strategy = probedOnce(
      createStrategy(name, { health: true }, { random: createSeededRandom(1) }),
      members,
    );
    for (let i = 0; i < n; i += 100) {
      for (let k = 0; k < 3; k++) strategy.observe(`m${i}`, { kind: 'probe', ok: false }, 0);
    }
    return measurePicks(name, n, strategy, false);
  });
}

export function healthPicksTable(measurements: readonly PickMeasurement[]): string {
  return markdownTable(
    ['strategy', 'ns/pick @1000, health: true, 10 down'],
    measurements.map((m) => [m.strategy, fmt(m.nsPerPick, 0)]),
  );
}

/** A recorded before/after comparison (see bench/pick-baseline.json). */
export interface PickBaseline {
  readonly date: string;
  readonly node: string;
  readonly loadAverages: readonly (readonly number[])[];
  readonly rounds: number;
  readonly note: string;
  readonly before: readonly PickMeasurement[];
  readonly after: readonly PickMeasurement[];
}

export function pickBaselineTable(baseline: PickBaseline): string {
  const names = [...new Set(baseline.before.map((m) => m.strategy))];
  const find = (set: readonly PickMeasurement[], name: string, n: number) =>
    set.find((m) => m.strategy === name && m.endpoints === n)?.nsPerPick ?? Number.NaN;
  return markdownTable(
    ['strategy', ...PICK_SIZES.flatMap((n) => [`before @${n}`, `after @${n}`, `speed-up @${n}`])],
    names.map((name) => [
      name,
      ...PICK_SIZES.flatMap((n) => {
        const before = find(baseline.before, name, n);
        const after = find(baseline.after, name, n);
        return [fmt(before, 0), fmt(after, 0), `${fmt(before / after, 1)}×`];
      }),
    ]),
  );
}

export function pickThroughputTable(measurements: readonly PickMeasurement[]): string {
  const baseline = (n: number) =>
    measurements.find((m) => m.strategy === 'random' && m.endpoints === n)?.nsPerPick ?? Number.NaN;
  const names = [...new Set(measurements.map((m) => m.strategy))];
  const rows = names.map((name) => [
    name,
    ...PICK_SIZES.flatMap((n) => {
      const m = measurements.find((x) => x.strategy === name && x.endpoints === n)!;
      return [fmt(m.nsPerPick, 0), `${fmt(m.nsPerPick / baseline(n), 2)}×`];
    }),
  ]);
  return markdownTable(
    ['strategy', ...PICK_SIZES.flatMap((n) => [`ns/pick @${n}`, `vs random @${n}`])],
    rows,
  );
}
