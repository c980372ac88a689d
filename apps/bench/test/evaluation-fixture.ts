/**
 * A small, complete EvaluationResults built by hand: every experiment with made-up but consistent
 * numbers, so the report and the writer can be tested without running anything.
 */
import { resolveBenchOptions } from '../src/bench-options.js';
import type { EvaluationResults } from '../src/evaluation-results.js';
import type { HashA3Result } from '../src/experiments/hashing/hash-results.js';
import type { HashingResult } from '../src/experiments/hashing/hashing-experiment.js';
import type { RoutingResult } from '../src/experiments/routing/routing-result.js';
import type { SimulatorResult } from '../src/experiments/simulator/simulator-experiment.js';
import { aggregateRequests } from '../src/stats/aggregate-requests.js';
import { empiricalCdf } from '../src/stats/empirical-cdf.js';
import { loadBalance } from '../src/stats/load-balance.js';
import type { RequestRecord } from '../src/stats/request-record.js';

function records(servers: Array<[string, number, number]>): RequestRecord[] {
  const list: RequestRecord[] = [];
  for (const [server, count, ms] of servers) {
    for (let i = 0; i < count; i++) {
      list.push({
        index: list.length,
        startedAtMs: list.length,
        totalMs: ms + i,
        redirectMs: 1,
        server,
        status: 200,
        bytes: 65_536,
        ok: true,
        error: null,
      });
    }
  }
  return list;
}

function routingRun(
  strategy: RoutingResult['runs'][number]['strategy'],
  path: string,
  servers: Array<[string, number, number]>,
) {
  const list = records(servers);
  const aggregate = aggregateRequests(list);
  const counts = Object.fromEntries(servers.map(([server, count]) => [server, count]));
  return {
    strategy,
    balancerStrategy:
      strategy === 'uniform-random' || strategy === 'fixed-machine' ? 'random' : strategy,
    path,
    aggregate,
    cdf: empiricalCdf(list.map((record) => record.totalMs)),
    clientRedirects: counts,
    balancerRedirects: counts,
    stoppedByTime: false,
    durationMs: 1000,
  };
}

export const routingFixture: RoutingResult = {
  parameters: {
    regions: [
      { name: 'A', machines: 2, latencyMs: 10 },
      { name: 'C', machines: 1, latencyMs: 150 },
    ],
    requests: 6,
    concurrency: 2,
    fileSizeBytes: 65_536,
    probeIntervalSeconds: 2,
    seed: 1,
  },
  machines: [
    { label: 'A1', region: 'A', machine: 1, latencyMs: 10, rate: '4M' },
    { label: 'A2', region: 'A', machine: 2, latencyMs: 10, rate: '4M' },
    { label: 'C1', region: 'C', machine: 1, latencyMs: 150, rate: '4M' },
  ],
  bestRegion: 'A',
  runs: [
    routingRun('uniform-random', '/payload.bin', [
      ['A1', 2, 27],
      ['A2', 2, 27],
      ['C1', 2, 167],
    ]),
    routingRun('fixed-machine', '/r/A/1/payload.bin', [['A1', 6, 40]]),
  ],
};

export const simulatorFixture: SimulatorResult = {
  overheadMs: 1,
  machines: routingFixture.machines,
  fileSizeBytes: routingFixture.parameters.fileSizeBytes,
  measured: routingFixture.runs.map((run) => ({
    strategy: run.strategy,
    latency: run.aggregate.latency,
  })),
  runs: routingFixture.runs.flatMap((run) =>
    (['as-balancer', 'completion'] as const).map((feedback) => ({
      strategy: run.strategy,
      feedback,
      latency: { ...run.aggregate.latency, p50: run.aggregate.latency.p50 + 1 },
      perServer: run.aggregate.perServer,
    })),
  ),
};

const variant = { hash: 'murmur3' as const, vnodes: 160 };
export const hashingFixture: HashingResult = {
  a1: {
    variant,
    requests: 30,
    concurrency: 4,
    succeeded: 30,
    failed: 0,
    durationMs: 100,
    replicas: [
      { label: 'h1', servers: 9, client: 9, balancer: 9 },
      { label: 'h2', servers: 11, client: 11, balancer: 11 },
      { label: 'h3', servers: 10, client: 10, balancer: 10 },
    ],
    balance: loadBalance([9, 11, 10]),
    countsAgree: true,
  },
  scaling: {
    requests: 30,
    concurrency: 4,
    variants: [
      {
        variant,
        steps: [
          {
            replicas: ['h1', 'h2'],
            counts: { h1: 14, h2: 16 },
            balancerCounts: { h1: 14, h2: 16 },
            balance: loadBalance([14, 16]),
            failed: 0,
          },
          {
            replicas: ['h1', 'h2', 'h3'],
            counts: { h1: 9, h2: 11, h3: 10 },
            balancerCounts: { h1: 9, h2: 11, h3: 10 },
            balance: loadBalance([9, 11, 10]),
            failed: 0,
          },
          {
            replicas: ['h2', 'h3'],
            counts: { h2: 15, h3: 15 },
            balancerCounts: { h2: 15, h3: 15 },
            balance: loadBalance([15, 15]),
            failed: 0,
          },
        ],
        changes: [
          {
            label: '2→3 (+h3)',
            from: 2,
            to: 3,
            kind: 'add',
            replica: 'h3',
            moved: 10,
            compared: 30,
            share: 1 / 3,
            ideal: 1 / 3,
            movedBetweenSurvivors: 0,
          },
          {
            label: '3→2 (−h1)',
            from: 3,
            to: 2,
            kind: 'remove',
            replica: 'h1',
            moved: 9,
            compared: 30,
            share: 0.3,
            ideal: 1 / 3,
            movedBetweenSurvivors: 0,
          },
        ],
      },
    ],
  },
};

export const failoverFixture: HashA3Result = {
  replicas: 3,
  concurrency: 4,
  adminChecks: [
    { call: 'GET /rep', status: '200', effect: '3 managed replicas up, standby pid 9' },
  ],
  trials: [
    {
      victim: '127.0.0.1:1',
      victimPid: 7,
      replacement: '127.0.0.1:2',
      goneAfterMs: 3,
      upAfterMs: 12,
      servedAfterMs: 20,
      lastRedirectAfterMs: 4,
      lostInFlight: 2,
      lostInDetectionWindow: 1,
      lostAfterDetection: 0,
      failures: { LB_WIRE_PREMATURE_CLOSE: 2, LB_WIRE_CONNECT_FAILED: 1 },
      lostElsewhere: 0,
      completedInWindow: 50,
    },
  ],
  totalRequests: 100,
  totalFailed: 3,
  exitNoticeMs: 30,
  timeline: [
    { atMs: -100, outcome: 'ok', count: 10 },
    { atMs: 0, outcome: 'failed', count: 3 },
  ],
  timelineMarkers: [{ atMs: 0, label: 'SIGKILL' }],
};

export function evaluationFixture(): EvaluationResults {
  const facts = {
    seconds: 1,
    generatedAt: '2026-01-02T03:04:05.000Z',
    mode: 'quick' as const,
    problems: [],
  };
  const { outDir: _outDir, ...options } = resolveBenchOptions({ quick: true });
  return {
    formatVersion: 1,
    run: {
      generatedAt: '2026-01-02T03:04:05.000Z',
      mode: 'quick',
      arguments: ['--quick'],
      node: '20.20.0',
      cpus: 2,
      loadAverage: 1.5,
      seconds: 9,
      options,
    },
    experiments: {
      routing: { status: 'ok', result: routingFixture, ...facts },
      simulator: { status: 'ok', result: simulatorFixture, ...facts },
      hashing: { status: 'ok', result: hashingFixture, ...facts },
      failover: { status: 'ok', result: failoverFixture, ...facts },
    },
  };
}
