/**
 * The routing scenario in @lb/ranking/sim with the parameters of the real run: the same machines
 * (a round trip of the region's latency, plus a small fixed overhead for the redirect hop and the
 * loopback stack), a transfer time of file size ÷ rate served one at a time (lb-server's rate is a
 * token bucket per server, so concurrent transfers share it), the same closed loop of N requests at
 * concurrency C, and probes at the balancer's interval.
 *
 * Two feedback models per load-aware strategy: "as the balancer" (done at once, latency 0 — see
 * immediate-done-strategy.ts) and "with completion feedback" (what a proxying balancer would see).
 */
import { createStrategy, type Strategy, type StrategyDeps } from '@lb/ranking';
import type { LatencySummary } from '@lb/ranking/sim';
import { type SimulatedServerConfig, type SimulationConfig, simulate } from '@lb/ranking/sim';
import type { RoutingStrategyName } from '../../bench-options.js';
import { parseByteSize } from '../../bench-options.js';
import type { RoutingMachine } from '../routing/routing-result.js';
import { ROUTING_STRATEGIES } from '../routing/routing-strategies.js';
import { withImmediateDone } from './immediate-done-strategy.js';

export type FeedbackModel = 'as-balancer' | 'completion';

export interface RoutingSimulationInput {
  machines: readonly RoutingMachine[];
  bestRegion: string;
  fileSizeBytes: number;
  requests: number;
  concurrency: number;
  probeIntervalSeconds: number;
  overheadMs: number;
  seed: number;
}

export interface SimulatedRun {
  strategy: RoutingStrategyName;
  feedback: FeedbackModel;
  latency: LatencySummary;
  /** Requests per machine label. */
  perServer: Record<string, number>;
}

/** Time one transfer takes at the machine's rate (0 when unthrottled: loopback is nearly free). */
export function transferMs(fileSizeBytes: number, rate: string | null): number {
  if (rate === null) return 0;
  return (fileSizeBytes / parseByteSize('rate', rate)) * 1000;
}

export function simulatedServers(
  machines: readonly RoutingMachine[],
  fileSizeBytes: number,
  overheadMs: number,
): SimulatedServerConfig[] {
  return machines.map((machine) => {
    const serviceMs = transferMs(fileSizeBytes, machine.rate);
    return {
      id: machine.label,
      region: machine.region,
      rttMs: machine.latencyMs + overheadMs,
      serviceTime: { kind: 'constant', ms: serviceMs },
      // A rate is one token bucket per server: transfers queue for it. Without one, nothing queues.
      concurrency: machine.rate === null ? Number.POSITIVE_INFINITY : 1,
    };
  });
}

/** Which machines a strategy may reach: all, the best region's, or its first machine. */
export function reachableMachines(
  strategy: RoutingStrategyName,
  machines: readonly RoutingMachine[],
  bestRegion: string,
): RoutingMachine[] {
  switch (ROUTING_STRATEGIES[strategy].scope) {
    case 'any':
      return [...machines];
    case 'best-region':
      return machines.filter((machine) => machine.region === bestRegion);
    case 'best-region-first-machine':
      return machines.filter((machine) => machine.region === bestRegion && machine.machine === 1);
  }
}

/**
 * When the first probe of every machine has come back. lb-balancer probes every server before it
 * listens, so no real request is routed without estimates; in the simulator, requests routed before
 * this time (while the strategy still knew nothing) are simulated but left out of the statistics.
 */
export function firstProbeRoundMs(
  machines: readonly RoutingMachine[],
  fileSizeBytes: number,
  overheadMs: number,
): number {
  return Math.max(
    ...machines.map(
      (machine) => machine.latencyMs + overheadMs + transferMs(fileSizeBytes, machine.rate),
    ),
  );
}

export function simulationConfig(
  input: RoutingSimulationInput,
  strategy: RoutingStrategyName,
  feedback: FeedbackModel,
): SimulationConfig {
  const balancerStrategy = ROUTING_STRATEGIES[strategy].balancerStrategy;
  const machines = reachableMachines(strategy, input.machines, input.bestRegion);
  return {
    seed: input.seed,
    servers: simulatedServers(machines, input.fileSizeBytes, input.overheadMs),
    selector: {
      kind: 'factory',
      create: (deps: StrategyDeps): Strategy => {
        const inner = createStrategy(balancerStrategy, {}, deps);
        return feedback === 'as-balancer' ? withImmediateDone(inner) : inner;
      },
    },
    arrivals: { kind: 'closed-loop', requests: input.requests, concurrency: input.concurrency },
    probes: { intervalMs: input.probeIntervalSeconds * 1000, bytes: input.fileSizeBytes },
    warmupMs: firstProbeRoundMs(input.machines, input.fileSizeBytes, input.overheadMs),
  };
}

export function simulateRouting(
  input: RoutingSimulationInput,
  strategy: RoutingStrategyName,
  feedback: FeedbackModel,
): SimulatedRun {
  const result = simulate(simulationConfig(input, strategy, feedback));
  const perServer: Record<string, number> = {};
  for (const server of result.perServer) perServer[server.id] = server.requests;
  return { strategy, feedback, latency: result.latency, perServer };
}
