/** The experiments in the order they run; the simulator reads the routing result before it. */
import type { ExperimentName } from '../bench-options.js';
import type { ExperimentOutcomes, ExperimentResults } from '../evaluation-results.js';
import type { ExperimentContext } from './experiment-context.js';
import { runHashA3Experiment } from './hashing/hash-a3-experiment.js';
import { runHashingExperiment } from './hashing/hashing-experiment.js';
import { runRoutingExperiment } from './routing/routing-experiment.js';
import { runSimulatorExperiment } from './simulator/simulator-experiment.js';

export interface ExperimentDefinition<K extends ExperimentName> {
  name: K;
  title: string;
  run(context: ExperimentContext, earlier: ExperimentOutcomes): Promise<ExperimentResults[K]>;
}

type Registry = { [K in ExperimentName]: ExperimentDefinition<K> };

export const EXPERIMENTS: Registry = {
  routing: {
    name: 'routing',
    title: '1. Routing across regions',
    run: (context) => runRoutingExperiment(context),
  },
  simulator: {
    name: 'simulator',
    title: '3. Simulator beside reality',
    run: async (context, earlier) => runSimulatorExperiment(context, earlier.routing?.result),
  },
  hashing: {
    name: 'hashing',
    title:
      '2. Consistent hashing: A-1 requests per replica, A-2/A-4 load against N, variants, moved keys',
    run: (context) => runHashingExperiment(context),
  },
  failover: {
    name: 'failover',
    title: '2. Consistent hashing: A-3 admin API and replica failover',
    run: (context) => runHashA3Experiment(context),
  },
};
