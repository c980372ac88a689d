import { listStrategies } from '../src/index.js';
import {
  heterogeneousClusterScenario,
  mm1MeanSojourn,
  PINNED_SCENARIO,
  pinnedSlowServerScenario,
  type SelectorConfig,
  type SimulationConfig,
  type SimulationResult,
  simulate,
  supermarketMeanSojourn,
  supermarketScenario,
  towerDemoScenario,
} from '../src/sim/index.js';
import { fmt, markdownTable, percent } from './markdown-table.js';

/** One selector the tables compare: a registry strategy or the JSQ oracle. */
interface Contender {
  readonly label: string;
  readonly selector: SelectorConfig;
  /** Hashed strategies get a key per request (uniform over 10 000 keys). */
  readonly hashed: boolean;
}

const ORACLE: Contender = { label: 'jsq-oracle', selector: { kind: 'jsq-oracle' }, hashed: false };

function contenders(): Contender[] {
  return [
    ...listStrategies().map((info) => ({
      label: info.name,
      selector: { kind: 'strategy', name: info.name } as const,
      hashed: info.hashed,
    })),
    ORACLE,
  ];
}

function run(config: SimulationConfig, contender: Contender): SimulationResult {
  return simulate(
    contender.hashed ? { ...config, hashKeys: { kind: 'uniform', keys: 10_000 } } : config,
  );
}

/** The p99 target: adaptive strategies within this factor of the JSQ oracle. */
export const ORACLE_P99_TARGET = 1.3;
const ADAPTIVE = ['p2c-peak-ewma', 'least-pending-p2c'] as const;

export interface SimulatorReport {
  readonly sections: ReadonlyArray<{ readonly title: string; readonly body: string }>;
  /** Whether every adaptive strategy met the oracle target in each scenario. */
  readonly oracleTargets: ReadonlyArray<{ scenario: string; strategy: string; met: boolean }>;
  readonly eventsPerSec: number;
}

/**
 * Runs the reference scenarios and renders their tables. `timer` measures the simulator's own
 * speed (events per second); it is passed in because the simulator itself never reads a clock.
 */
export function simulatorReport(timer: () => number): SimulatorReport {
  const sections: Array<{ title: string; body: string }> = [];
  const oracleRows: string[][] = [];
  const oracleTargets: Array<{ scenario: string; strategy: string; met: boolean }> = [];
  const compare = (scenario: string, results: ReadonlyMap<string, SimulationResult>) => {
    const oracle = results.get(ORACLE.label)!.latency.p99;
    const cells = ADAPTIVE.map((name) => {
      const p99 = results.get(name)!.latency.p99;
      const met = p99 <= ORACLE_P99_TARGET * oracle;
      oracleTargets.push({ scenario, strategy: name, met });
      return [fmt(p99), `${fmt(p99 / oracle, 2)}×`, met ? 'yes' : 'no'];
    });
    oracleRows.push([scenario, fmt(oracle), ...cells.flat()]);
  };

  // 1. Supermarket validation.
  let events = 0;
  let elapsedMs = 0;
  const supermarket = new Map<string, SimulationResult>();
  const validationRows: string[][] = [];
  for (const [name, theory] of [
    ['random', mm1MeanSojourn(0.9)],
    ['least-pending-p2c', supermarketMeanSojourn(0.9, 2)],
    ['p2c-peak-ewma', Number.NaN],
    [ORACLE.label, Number.NaN],
  ] as const) {
    const contender = contenders().find((c) => c.label === name)!;
    const start = timer();
    const result = run(supermarketScenario({ selector: contender.selector }), contender);
    elapsedMs += timer() - start;
    events += result.events;
    supermarket.set(name, result);
    const error = result.latency.mean / theory - 1;
    validationRows.push([
      name,
      String(result.counts.measured),
      fmt(result.latency.mean, 3),
      fmt(theory, 4),
      Number.isFinite(error) ? `${fmt(error * 100, 2)}%` : '—',
      Number.isFinite(error) ? (Math.abs(error) <= 0.05 ? 'yes' : 'no') : '—',
      fmt(result.latency.p99, 2),
    ]);
  }
  sections.push({
    title: 'Supermarket validation (100 servers, exponential service mean 1 ms, load 0.9)',
    body: [
      'Poisson arrivals at 90 000/s, 2 000 000 requests, first 1 000 ms excluded, seed 1. Theory:',
      'M/M/1 mean sojourn 1/(1−ρ) = 10 for random routing; supermarket model Σ ρ^(2^i−2) ≈ 2.6141',
      'for two choices (infinitely many servers; 100 servers sit slightly above it). Times in ms.',
      '',
      markdownTable(
        ['selector', 'measured', 'mean', 'theory', 'error', 'within 5%', 'p99'],
        validationRows,
      ),
    ].join('\n'),
  });
  compare('supermarket, 100 × M/M/1 at 0.9', supermarket);

  // 2. tower's demo.
  const tower = new Map<string, SimulationResult>();
  for (const contender of contenders()) {
    tower.set(contender.label, run(towerDemoScenario({ selector: contender.selector }), contender));
  }
  sections.push({
    title: "tower's balance demo (10 endpoints, uniform latency [0, max) with max 1 ms … 1 s)",
    body: [
      'Closed loop: 500 requests in flight, 100 000 requests, 500 slots per endpoint (no queueing),',
      'probes every 1 s, seed 1. Max latencies [1, 5, 10, 10, 10, 100, 100, 100, 500, 1000] ms.',
      'Shares: of the 1 ms endpoint, and of the 500 ms + 1 s endpoints together. Times in ms.',
      '',
      markdownTable(
        ['selector', 'mean', 'p50', 'p95', 'p99', 'p99.9', '1 ms share', 'slowest-2 share'],
        [...tower].map(([label, r]) => {
          const share = (i: number) => r.perServer[i]!.requests / r.counts.measured;
          return [
            label,
            fmt(r.latency.mean),
            fmt(r.latency.p50),
            fmt(r.latency.p95),
            fmt(r.latency.p99),
            fmt(r.latency.p999),
            percent(share(0)),
            percent(share(8) + share(9)),
          ];
        }),
      ),
    ].join('\n'),
  });
  compare("tower's demo (closed loop, 500 in flight)", tower);

  // 3. One server pinned to 2 s.
  const pinned = new Map<string, SimulationResult>();
  for (const contender of contenders()) {
    pinned.set(
      contender.label,
      run(pinnedSlowServerScenario({ selector: contender.selector }), contender),
    );
  }
  sections.push({
    title: '11 servers, one pinned to 2 s for 30 s, 1 s client timeout',
    body: [
      `Poisson ${PINNED_SCENARIO.ratePerSec} req/s for 60 s; log-normal service (median 10 ms, σ 0.5), 16`,
      'slots per server; s0 answers in exactly 2 s from 15 s to 45 s; probes every 1 s (1 s timeout);',
      'seed 1. A timed-out request counts as 1000 ms. "s0 share" is its traffic share from 17 s to',
      '44 s (after 2 s to react). Times in ms.',
      '',
      markdownTable(
        ['selector', 'success', 'timeouts', 'p50', 'p99', 'p99.9', 's0 share (pinned)'],
        [...pinned].map(([label, r]) => [
          label,
          percent(r.successRate, 2),
          String(r.counts.timedOut),
          fmt(r.latency.p50),
          fmt(r.latency.p99),
          fmt(r.latency.p999),
          percent(windowShare(r, 0, 17_000, 44_000), 2),
        ]),
      ),
    ].join('\n'),
  });
  compare('11 servers, one pinned to 2 s', pinned);

  // 4. Mixed-speed cluster.
  const mixed = new Map<string, SimulationResult>();
  for (const contender of contenders()) {
    mixed.set(
      contender.label,
      run(heterogeneousClusterScenario({ selector: contender.selector }), contender),
    );
  }
  sections.push({
    title: 'Mixed-speed cluster at 80% load',
    body: [
      'Ten servers, log-normal service with medians [5, 5, 5, 10, 10, 10, 20, 20, 40, 80] ms (σ 0.5),',
      '4 slots each; Poisson arrivals at 80% of total capacity (≈ 2 930 req/s), 200 000 requests,',
      'first 2 s excluded, probes every 1 s, seed 1. Random routing overloads the slow servers',
      '(their queues grow without bound). Times in ms.',
      '',
      markdownTable(
        [
          'selector',
          'mean',
          'p50',
          'p99',
          'p99.9',
          'share of 5 ms servers',
          'share of 80 ms server',
        ],
        [...mixed].map(([label, r]) => {
          const share = (i: number) => r.perServer[i]!.requests / r.counts.measured;
          return [
            label,
            fmt(r.latency.mean),
            fmt(r.latency.p50),
            fmt(r.latency.p99),
            fmt(r.latency.p999),
            percent(share(0) + share(1) + share(2)),
            percent(share(9)),
          ];
        }),
      ),
    ].join('\n'),
  });
  compare('mixed-speed cluster at 80% load', mixed);

  sections.push({
    title: `JSQ oracle vs adaptive strategies (target: p99 ≤ ${ORACLE_P99_TARGET}× the oracle's)`,
    body: [
      'The oracle sees every server’s true outstanding requests and whether it is down; it is a',
      'yardstick, not a bound (it ignores speed, so a latency-aware strategy can beat it). p99 in ms.',
      '',
      markdownTable(
        ['scenario', 'oracle p99', ...ADAPTIVE.flatMap((name) => [`${name} p99`, 'ratio', 'met'])],
        oracleRows,
      ),
    ].join('\n'),
  });

  return { sections, oracleTargets, eventsPerSec: (events * 1000) / elapsedMs };
}

/** Share of server `server` among requests routed in the buckets starting in [fromMs, untilMs). */
function windowShare(
  result: SimulationResult,
  server: number,
  fromMs: number,
  untilMs: number,
): number {
  const buckets = result.traffic.buckets.filter((b) => b.startMs >= fromMs && b.startMs < untilMs);
  const total = buckets.reduce((sum, b) => sum + b.requests, 0);
  return buckets.reduce((sum, b) => sum + b.shares[server]! * b.requests, 0) / total;
}
