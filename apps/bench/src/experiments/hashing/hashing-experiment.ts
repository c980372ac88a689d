/**
 * Experiment 2 (A-1, A-2, A-4): one set of lb-servers over the key corpus serves all three, since
 * starting a Node process costs seconds on this machine. A-1 uses the first `--replicas` of them;
 * A-2/A-4 grow and shrink over all of them. A failure in one part is recorded and the other still
 * runs.
 */
import type { ExperimentContext } from '../experiment-context.js';
import { measureRequestsPerReplica } from './hash-a1-experiment.js';
import { startCountingReplicas, stopReplicas } from './hash-cluster.js';
import type { HashA1Result, HashScalingResult } from './hash-results.js';
import { measureScaling } from './hash-scaling-experiment.js';
import { ensureKeyCorpus } from './key-corpus.js';

export interface HashingResult {
  a1?: HashA1Result;
  scaling?: HashScalingResult;
}

export async function runHashingExperiment(context: ExperimentContext): Promise<HashingResult> {
  const { hashing } = context.options;
  const corpus = await ensureKeyCorpus(context);
  const count = Math.max(hashing.replicas, hashing.maxReplicas);
  context.reporter.note(`starting ${count} lb-servers over ${corpus.keys.length} key files`);
  const replicas = await startCountingReplicas(corpus.root, count);
  const result: HashingResult = {};
  try {
    try {
      result.a1 = await measureRequestsPerReplica(
        context,
        replicas.slice(0, hashing.replicas),
        corpus.keys,
      );
    } catch (error) {
      const deaths = replicas.flatMap((replica) => replica.server.process.deathNote() ?? []);
      context.problems.push(
        `A-1: ${(error as Error).message}${deaths.length > 0 ? `; ${deaths.join('; ')}` : ''}`,
      );
    }
    try {
      result.scaling = await measureScaling(
        context,
        replicas.slice(0, hashing.maxReplicas),
        corpus.keys,
      );
    } catch (error) {
      context.problems.push(`A-2/A-4: ${(error as Error).message}`);
    }
  } finally {
    await stopReplicas(replicas);
  }
  if (result.a1 === undefined && result.scaling === undefined) {
    throw new Error('neither A-1 nor A-2/A-4 could be measured');
  }
  return result;
}
