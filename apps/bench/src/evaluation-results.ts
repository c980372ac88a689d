/**
 * The document every run writes to docs/evaluation/results.json and renders the README and plots
 * from. Each experiment keeps its own run facts (when, quick or full), so a `--only` run can update
 * one section while the others keep theirs.
 */
import type { BenchOptions, ExperimentName } from './bench-options.js';
import type { HashA3Result } from './experiments/hashing/hash-results.js';
import type { HashingResult } from './experiments/hashing/hashing-experiment.js';
import type { RoutingResult } from './experiments/routing/routing-result.js';
import type { SimulatorResult } from './experiments/simulator/simulator-experiment.js';

export interface ExperimentResults {
  routing: RoutingResult;
  simulator: SimulatorResult;
  hashing: HashingResult;
  failover: HashA3Result;
}

export interface ExperimentOutcome<T> {
  status: 'ok' | 'failed';
  /** The error that stopped the experiment, if one did. */
  error?: string;
  /** Problems met along the way; any makes the experiment count as failed. */
  problems: string[];
  /** What was measured; a failed experiment may still have partial results. */
  result?: T;
  seconds: number;
  generatedAt: string;
  mode: 'quick' | 'full';
}

export type ExperimentOutcomes = {
  [K in ExperimentName]?: ExperimentOutcome<ExperimentResults[K]>;
};

export interface RunInfo {
  generatedAt: string;
  mode: 'quick' | 'full';
  /** The command line as typed (after `start`). */
  arguments: string[];
  node: string;
  cpus: number;
  /** 1-minute load average when the run started: how busy the shared machine was. */
  loadAverage: number;
  seconds: number;
  options: Omit<BenchOptions, 'outDir'>;
}

export interface EvaluationResults {
  formatVersion: 1;
  /** The latest run (with `--only`, not every section comes from it). */
  run: RunInfo;
  experiments: ExperimentOutcomes;
}
