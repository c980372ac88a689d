/**
 * Runs the selected experiments one after the other. A failing experiment is recorded with its
 * reason and the next one still runs; after each, any child process it left behind is stopped, so
 * the next one starts on a quiet machine and nothing outlives the bench.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchOptions, EXPERIMENT_NAMES, type ExperimentName } from './bench-options.js';
import type {
  ExperimentOutcome,
  ExperimentOutcomes,
  ExperimentResults,
} from './evaluation-results.js';
import type { ExperimentContext } from './experiments/experiment-context.js';
import { EXPERIMENTS } from './experiments/experiment-registry.js';
import { stopTrackedChildren } from './processes/process-registry.js';
import type { Reporter } from './progress-reporter.js';

export type ExperimentRunner = {
  [K in ExperimentName]?: (
    context: ExperimentContext,
    earlier: ExperimentOutcomes,
  ) => Promise<ExperimentResults[K]>;
};

export async function runExperiments(
  options: BenchOptions,
  reporter: Reporter,
  previous: ExperimentOutcomes = {},
  runners: ExperimentRunner = {},
): Promise<ExperimentOutcomes> {
  const outcomes: ExperimentOutcomes = { ...previous };
  const workDir = await mkdtemp(join(tmpdir(), 'lb-bench-'));
  try {
    for (const name of EXPERIMENT_NAMES) {
      if (!options.experiments.includes(name)) continue;
      const definition = EXPERIMENTS[name];
      reporter.note(`\n== ${definition.title}`);
      const context: ExperimentContext = { options, reporter, workDir, problems: [] };
      const started = performance.now();
      const outcome: ExperimentOutcome<unknown> = {
        status: 'ok',
        problems: context.problems,
        seconds: 0,
        generatedAt: new Date().toISOString(),
        mode: options.quick ? 'quick' : 'full',
      };
      try {
        const run = (runners[name] ?? definition.run) as (
          context: ExperimentContext,
          earlier: ExperimentOutcomes,
        ) => Promise<unknown>;
        outcome.result = await run(context, outcomes);
      } catch (error) {
        outcome.error = (error as Error)?.message ?? String(error);
      } finally {
        await stopTrackedChildren();
      }
      if (outcome.error !== undefined || context.problems.length > 0) outcome.status = 'failed';
      outcome.seconds = (performance.now() - started) / 1000;
      (outcomes as Record<string, unknown>)[name] = outcome;
      if (outcome.status === 'failed') {
        reporter.note(
          `${name} FAILED: ${[outcome.error, ...context.problems].filter(Boolean).join('; ')}`,
        );
      } else {
        reporter.note(`${name} done in ${outcome.seconds.toFixed(0)} s`);
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return outcomes;
}
