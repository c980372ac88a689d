/** What every experiment gets: its parameters, somewhere to tell progress, a scratch directory. */
import type { BenchOptions } from '../bench-options.js';
import type { Reporter } from '../progress-reporter.js';

export interface ExperimentContext {
  options: BenchOptions;
  reporter: Reporter;
  /** A temporary directory of this run (payload files, key corpus); removed at the end. */
  workDir: string;
  /**
   * Problems that do not stop the experiment (one strategy's balancer would not start, a count
   * that does not cross-check): the experiment finishes what it can, and is reported failed.
   */
  problems: string[];
}
