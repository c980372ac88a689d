import { listStrategies } from '../src/index.js';
import {
  heterogeneousClusterScenario,
  type LatencySummary,
  mm1MeanSojourn,
  PINNED_SCENARIO,
  pinnedSlowServerScenario,
  type SelectorConfig,
  type SimulationConfig,
  type SimulationResult,
  simulate,
  supermarketMeanSojourn,
  supermarketScenario,
  supermarketSojournQuantile,
  towerDemoChoicesLatencyFloor,
  towerDemoScenario,
} from '../src/sim/index.js';
import { serverOutageScenario } from '../src/sim/scenarios/server-outage.js';
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

/** The given latency statistics of `r`, formatted (ms). */
function latencyCells(r: SimulationResult, stats: readonly (keyof LatencySummary)[]): string[] {
  return stats.map((stat) => fmt(r.latency[stat]));
}

/** The share of the measured requests that went to the servers at `indices`, together. */
function serverShare(r: SimulationResult, ...indices: number[]): number {
  let share = 0;
  for (const i of indices) share += r.perServer[i]!.requests / r.counts.measured;
  return share;
}

/** Every contender on the scenario `build` makes for its selector, by label. */
function runContenders(
  build: (selector: SelectorConfig) => SimulationConfig,
): Map<string, SimulationResult> {
  const results = new Map<string, SimulationResult>();
  for (const contender of contenders()) {
    results.set(contender.label, run(build(contender.selector), contender));
  }
  return results;
}

/** The p99 target: adaptive strategies within this factor of the JSQ oracle. */
export const ORACLE_P99_TARGET = 1.3;
const ADAPTIVE = ['p2c-peak-ewma', 'least-pending-p2c'] as const;
/** Values of the `choices` option (power of d choices) the sweep runs; 2 is the default. */
const CHOICES = [2, 3, 4, 5, 6, 8] as const;

/** A reference scenario by config builder, for the oracle comparison and the power-of-d sweep. */
interface Scenario {
  readonly label: string;
  readonly build: (selector: SelectorConfig) => SimulationConfig;
  /**
   * The p99 theory for d choices, ms, when known: a floor for tower's demo, the mean-field limit
   * for the supermarket.
   */
  readonly floor?: (choices: number) => number;
}

export interface SimulatorReport {
  readonly sections: ReadonlyArray<{ readonly title: string; readonly body: string }>;
  /** Whether every adaptive strategy met the oracle target in each scenario. */
  readonly oracleTargets: ReadonlyArray<{ scenario: string; strategy: string; met: boolean }>;
  /** The smallest `choices` meeting the target per scenario and strategy (undefined: none ≤ 8). */
  readonly choiceTargets: ReadonlyArray<{
    scenario: string;
    strategy: string;
    choices: number | undefined;
  }>;
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
  const swept: Array<{ scenario: Scenario; results: ReadonlyMap<string, SimulationResult> }> = [];
  const compare = (scenario: Scenario, results: ReadonlyMap<string, SimulationResult>) => {
    swept.push({ scenario, results });
    const oracle = results.get(ORACLE.label)!.latency.p99;
    const cells = ADAPTIVE.map((name) => {
      const p99 = results.get(name)!.latency.p99;
      const met = p99 <= ORACLE_P99_TARGET * oracle;
      oracleTargets.push({ scenario: scenario.label, strategy: name, met });
      return [fmt(p99), `${fmt(p99 / oracle, 2)}×`, met ? 'yes' : 'no'];
    });
    const floor = scenario.floor?.(2);
    oracleRows.push([
      scenario.label,
      fmt(oracle),
      ...cells.flat(),
      floor === undefined ? '—' : `${fmt(floor, 2)} (${fmt(floor / oracle, 2)}×)`,
    ]);
  };

  // 1. Supermarket validation.
  let events = 0;
  let elapsedMs = 0;
  const supermarket = new Map<string, SimulationResult>();
  const validationRows: string[][] = [];
  for (const [name, theory, theoryP99] of [
    ['random', mm1MeanSojourn(0.9), supermarketSojournQuantile(0.9, 1, 0.99)],
    ['least-pending-p2c', supermarketMeanSojourn(0.9, 2), supermarketSojournQuantile(0.9, 2, 0.99)],
    ['p2c-peak-ewma', Number.NaN, Number.NaN],
    [ORACLE.label, Number.NaN, Number.NaN],
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
      fmt(theoryP99, 2),
    ]);
  }
  sections.push({
    title: 'Supermarket validation (100 servers, exponential service mean 1 ms, load 0.9)',
    body: [
      'Poisson arrivals at 90 000/s, 2 000 000 requests, first 1 000 ms excluded, seed 1. Theory:',
      'M/M/1 mean sojourn 1/(1−ρ) = 10 for random routing; supermarket model Σ ρ^(2^i−2) ≈ 2.6141',
      'for two choices (infinitely many servers; 100 servers sit slightly above it). The p99 theory',
      'is the same model’s sojourn-time distribution (`supermarketSojournQuantile`): an arrival that',
      'finds k ahead waits k + 1 exponential services. Times in ms.',
      '',
      markdownTable(
        ['selector', 'measured', 'mean', 'theory', 'error', 'within 5%', 'p99', 'theory p99'],
        validationRows,
      ),
    ].join('\n'),
  });
  compare(SUPERMARKET, supermarket);

  // 2. tower's demo.
  const tower = runContenders((selector) => towerDemoScenario({ selector }));
  sections.push({
    title: "tower's balance demo (10 endpoints, uniform latency [0, max) with max 1 ms … 1 s)",
    body: [
      'Closed loop: 500 requests in flight, 100 000 requests, 500 slots per endpoint (no queueing),',
      'probes every 1 s, seed 1. Max latencies [1, 5, 10, 10, 10, 100, 100, 100, 500, 1000] ms.',
      'Shares: of the 1 ms endpoint, and of the 500 ms + 1 s endpoints together. Times in ms.',
      '',
      markdownTable(
        ['selector', 'mean', 'p50', 'p95', 'p99', 'p99.9', '1 ms share', 'slowest-2 share'],
        [...tower].map(([label, r]) => [
          label,
          ...latencyCells(r, ['mean', 'p50', 'p95', 'p99', 'p999']),
          percent(serverShare(r, 0)),
          percent(serverShare(r, 8, 9)),
        ]),
      ),
    ].join('\n'),
  });
  compare(TOWER, tower);

  // 3. One server pinned to 2 s.
  const pinned = runContenders((selector) => pinnedSlowServerScenario({ selector }));
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
          ...latencyCells(r, ['p50', 'p99', 'p999']),
          percent(windowShare(r, 0, 17_000, 44_000), 2),
        ]),
      ),
    ].join('\n'),
  });
  compare(PINNED, pinned);

  // 4. Mixed-speed cluster.
  const mixed = runContenders((selector) => heterogeneousClusterScenario({ selector }));
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
        [...mixed].map(([label, r]) => [
          label,
          ...latencyCells(r, ['mean', 'p50', 'p99', 'p999']),
          percent(serverShare(r, 0, 1, 2)),
          percent(serverShare(r, 9)),
        ]),
      ),
    ].join('\n'),
  });
  compare(MIXED, mixed);

  sections.push({
    title: `JSQ oracle vs adaptive strategies (target: p99 ≤ ${ORACLE_P99_TARGET}× the oracle's)`,
    body: [
      'Default options (two choices). The oracle sees every server’s true outstanding requests and',
      'whether it is down; it is a yardstick, not a bound (it ignores speed, so a latency-aware',
      'strategy can beat it). "d = 2 floor" is what no two-choice selector can beat: for the',
      'supermarket the mean-field p99 of two choices (100 servers sit slightly above it); for',
      "tower's demo the p99 of the fastest of two uniformly sampled endpoints (one pick in 45 only",
      'sees the 500 ms and 1 s endpoints). p99 in ms.',
      '',
      markdownTable(
        [
          'scenario',
          'oracle p99',
          ...ADAPTIVE.flatMap((name) => [`${name} p99`, 'ratio', 'met']),
          'd = 2 floor',
        ],
        oracleRows,
      ),
    ].join('\n'),
  });

  const choiceTargets = powerOfChoicesSection(swept, sections);
  sections.push(recoverySection());

  return { sections, oracleTargets, choiceTargets, eventsPerSec: (events * 1000) / elapsedMs };
}

const SUPERMARKET: Scenario = {
  label: 'supermarket, 100 × M/M/1 at 0.9',
  build: (selector) => supermarketScenario({ selector }),
  floor: (choices) => supermarketSojournQuantile(0.9, choices, 0.99),
};
const TOWER: Scenario = {
  label: "tower's demo (closed loop, 500 in flight)",
  build: (selector) => towerDemoScenario({ selector }),
  floor: (choices) => towerDemoChoicesLatencyFloor(choices, 0.99),
};
const PINNED: Scenario = {
  label: '11 servers, one pinned to 2 s',
  build: (selector) => pinnedSlowServerScenario({ selector }),
};
const MIXED: Scenario = {
  label: 'mixed-speed cluster at 80% load',
  build: (selector) => heterogeneousClusterScenario({ selector }),
};

/**
 * The `choices` sweep: p99 / oracle p99 of both adaptive strategies for d = 2…8 in every scenario
 * (d = 2 reuses the runs above), and the smallest d that meets the target.
 */
function powerOfChoicesSection(
  swept: ReadonlyArray<{ scenario: Scenario; results: ReadonlyMap<string, SimulationResult> }>,
  sections: Array<{ title: string; body: string }>,
): Array<{ scenario: string; strategy: string; choices: number | undefined }> {
  const rows: string[][] = [];
  const targets: Array<{ scenario: string; strategy: string; choices: number | undefined }> = [];
  for (const { scenario, results } of swept) {
    const oracle = results.get(ORACLE.label)!.latency.p99;
    for (const name of ADAPTIVE) {
      let smallest: number | undefined;
      const cells = CHOICES.map((choices) => {
        const p99 =
          choices === 2
            ? results.get(name)!.latency.p99
            : simulate(scenario.build({ kind: 'strategy', name, options: { choices } })).latency
                .p99;
        const ratio = p99 / oracle;
        if (smallest === undefined && ratio <= ORACLE_P99_TARGET) smallest = choices;
        return `${fmt(ratio, 2)}×`;
      });
      targets.push({ scenario: scenario.label, strategy: name, choices: smallest });
      rows.push([
        scenario.label,
        name,
        ...cells,
        smallest === undefined ? '> 8' : String(smallest),
      ]);
    }
    if (scenario.floor) {
      rows.push([
        scenario.label,
        'theory (see text)',
        ...CHOICES.map((choices) => `${fmt(scenario.floor!(choices) / oracle, 2)}×`),
        '—',
      ]);
    }
  }
  sections.push({
    title: 'Power of d choices: p99 / oracle p99 by `choices`',
    body: [
      'Both adaptive strategies accept `choices` (default 2, as in tower, Finagle and Envoy): the',
      'number of endpoints sampled per pick. Each cell is p99 ÷ the oracle’s p99 in the same',
      `scenario and seed; the last column is the smallest d that meets ${ORACLE_P99_TARGET}×. "theory" rows,`,
      'as ratios to the oracle: for the supermarket the mean-field p99 of d choices (the limit of',
      'infinitely many servers; 100 servers sit slightly above it); for tower’s demo the floor no',
      'selector of d sampled endpoints can beat, whatever its load metric.',
      '',
      markdownTable(
        [
          'scenario',
          'strategy',
          ...CHOICES.map((d) => `d = ${d}`),
          `smallest d ≤ ${ORACLE_P99_TARGET}×`,
        ],
        rows,
      ),
    ].join('\n'),
  });
  return targets;
}

/**
 * Recovery after an outage: five servers (log-normal service, median 20 ms, 8 slots), 200 req/s,
 * s0 down from 10 s to 20 s, 1 s client timeout, 250 ms traffic buckets, seed 1.
 */
function recoverySection(): { title: string; body: string } {
  const rows: string[][] = [];
  const variants = [
    ['p2c-peak-ewma', {}],
    ['least-pending-p2c', {}],
    ['least-pending-p2c', { failurePenaltyMs: 0 }],
    ['least-pending-p2c', { health: true }],
    ['p2c-peak-ewma', { health: true }],
  ] as const;
  for (const [name, options] of variants) {
    for (const mode of ['fail-fast', 'black-hole'] as const) {
      for (const probes of [true, false]) {
        const result = simulate(
          serverOutageScenario({ name, options, mode, probes, requests: 12_000 }),
        );
        const back = result.traffic.buckets.find((b) => b.startMs >= 20_000 && b.shares[0]! >= 0.1);
        rows.push([
          name,
          Object.keys(options).length === 0 ? 'defaults' : JSON.stringify(options),
          mode,
          probes ? 'every 1 s' : 'none',
          percent(windowShare(result, 0, 10_000, 20_000), 2),
          back === undefined ? 'never' : `${fmt((back.startMs - 20_000) / 1000, 2)} s`,
          percent(windowShare(result, 0, 22_000, 60_000), 1),
          percent(result.successRate, 2),
        ]);
      }
    }
  }
  return {
    title: 'Recovery after a 10 s outage',
    body: [
      'Five servers (log-normal service, median 20 ms, σ 0.3, 8 slots), Poisson 200 req/s for 60 s;',
      's0 is down from 10 s to 20 s (fail-fast: refused at once; black-hole: the 1 s client timeout',
      'ends its requests). "back after" is the first 250 ms bucket after 20 s in which s0 gets at',
      'least 10% of the traffic (its fair share is 20%). Seed 1. Before this release p2c-peak-ewma',
      'came back only after 28–42 s (the failure was a 5 s latency peak decaying with τ = 10 s) and',
      'least-pending-p2c gave the fail-fast dead server 32% of the traffic (the failurePenaltyMs 0 rows).',
      'Without probes the health wrapper never brings a down endpoint back: enable probes with it.',
      '',
      markdownTable(
        [
          'strategy',
          'options',
          'outage',
          'probes',
          's0 share while down',
          'back after',
          's0 share 22–60 s',
          'success',
        ],
        rows,
      ),
    ].join('\n'),
  };
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
