/**
 * 10,000 requests for distinct keys (bounded concurrency) through lb-balancer
 * `--strategy consistent-hash` over N lb-servers; requests per replica counted three ways that must
 * agree: by the servers (their request logs), by the client (the 301 Locations) and by the balancer
 * (/rep redirect counters).
 */
import { runClosedLoop } from '../../load/closed-loop-load.js';
import { startBalancer } from '../../processes/balancer-process.js';
import { loadBalance } from '../../stats/load-balance.js';
import type { ExperimentContext } from '../experiment-context.js';
import { CORPUS_PROBE_PATH } from '../payload-file.js';
import { type CountingReplica, settledCounts } from './hash-cluster.js';
import type { HashA1Result, ReplicaCount } from './hash-results.js';

export async function measureRequestsPerReplica(
  context: ExperimentContext,
  replicas: readonly CountingReplica[],
  keys: readonly string[],
): Promise<HashA1Result> {
  const { hashing, seed } = context.options;
  const variant = hashing.variants[0]!;
  for (const replica of replicas) replica.resetCount();
  const balancer = await startBalancer({
    servers: replicas.map((replica) => ({ address: replica.address })),
    strategy: 'consistent-hash',
    strategyOptions: { hash: variant.hash, vnodes: variant.vnodes },
    seed,
    probePath: CORPUS_PROBE_PATH,
    probeIntervalSeconds: 3600,
  });
  try {
    const before = await balancer.admin.report();
    const bar = context.reporter.bar(`A-1 ${keys.length} keys`, keys.length);
    const run = await runClosedLoop({
      requests: keys.length,
      concurrency: hashing.concurrency,
      maxDurationMs: hashing.maxSeconds * 1000,
      send: (index, client) => client.fetch(balancer.client, keys[index]!, true),
      onRecord: () => bar.increment(),
    });
    bar.stop();
    const succeeded = run.records.filter((record) => record.ok).length;
    const after = await balancer.admin.report();
    const served = await settledCounts(replicas, succeeded);
    const counts: ReplicaCount[] = replicas.map((replica, index) => {
      const redirectsBefore =
        before.servers.find((server) => server.id === replica.address)?.redirects ?? 0;
      const redirectsAfter =
        after.servers.find((server) => server.id === replica.address)?.redirects ?? 0;
      return {
        label: replica.label,
        servers: served[index]!,
        client: run.records.filter((record) => record.ok && record.server === replica.address)
          .length,
        balancer: redirectsAfter - redirectsBefore,
      };
    });
    const countsAgree = counts.every(
      (count) => count.servers === count.client && count.client === count.balancer,
    );
    if (!countsAgree) {
      context.problems.push(`A-1: the three counts disagree: ${JSON.stringify(counts)}`);
    }
    if (succeeded < run.records.length) {
      context.problems.push(`A-1: ${run.records.length - succeeded} requests failed`);
    }
    if (run.stoppedByTime) context.problems.push('A-1: stopped by --max-seconds');
    return {
      variant,
      requests: run.records.length,
      concurrency: hashing.concurrency,
      succeeded,
      failed: run.records.length - succeeded,
      durationMs: run.durationMs,
      replicas: counts,
      balance: loadBalance(counts.map((count) => count.servers)),
      countsAgree,
    };
  } finally {
    await balancer.stop();
  }
}
