/**
 * Experiment 3: the routing scenario in @lb/ranking/sim with the measured run's parameters, each
 * strategy under both feedback models, set beside the measured p50/p99. It reads the routing
 * experiment's result (from this run, or from results.json with `--only simulator`).
 */
import type { LatencySummary } from '@lb/ranking/sim';
import type { RoutingStrategyName } from '../../bench-options.js';
import type { ExperimentContext } from '../experiment-context.js';
import type { RoutingMachine, RoutingResult } from '../routing/routing-result.js';
import { type FeedbackModel, type SimulatedRun, simulateRouting } from './routing-simulation.js';

export const FEEDBACK_MODELS: readonly FeedbackModel[] = ['as-balancer', 'completion'];

export interface SimulatorResult {
  overheadMs: number;
  /** The simulated machines and file size (the measured run's). */
  machines: RoutingMachine[];
  fileSizeBytes: number;
  runs: SimulatedRun[];
  measured: Array<{ strategy: RoutingStrategyName; latency: LatencySummary }>;
}

export function runSimulatorExperiment(
  context: ExperimentContext,
  routing: RoutingResult | undefined,
): SimulatorResult {
  if (routing === undefined) {
    throw new Error(
      'needs the routing experiment’s measurements: run it too (or once before, so results.json has them)',
    );
  }
  const overheadMs = context.options.simulator.overheadMs;
  const input = {
    machines: routing.machines,
    bestRegion: routing.bestRegion,
    fileSizeBytes: routing.parameters.fileSizeBytes,
    requests: routing.parameters.requests,
    concurrency: routing.parameters.concurrency,
    probeIntervalSeconds: routing.parameters.probeIntervalSeconds,
    overheadMs,
    seed: routing.parameters.seed,
  };
  const runs: SimulatedRun[] = [];
  const bar = context.reporter.bar('simulations', routing.runs.length * FEEDBACK_MODELS.length);
  for (const measured of routing.runs) {
    for (const feedback of FEEDBACK_MODELS) {
      runs.push(simulateRouting(input, measured.strategy, feedback));
      bar.increment();
    }
  }
  bar.stop();
  return {
    overheadMs,
    machines: routing.machines,
    fileSizeBytes: routing.parameters.fileSizeBytes,
    runs,
    measured: routing.runs.map((run) => ({
      strategy: run.strategy,
      latency: run.aggregate.latency,
    })),
  };
}
