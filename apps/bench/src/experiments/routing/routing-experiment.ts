/**
 * Experiment 1: a command unit sends N requests to a cluster of regions that differ in latency and
 * machine count, once per strategy, through a real lb-balancer in front of real lb-servers (one
 * process of virtual servers with per-machine `--latency`/`--rate`). Each request's full response
 * time (redirect + transfer) is measured at the client.
 *
 * Strategies that share a balancer strategy share its process (uniform random, random in the best
 * region and the fixed machine are all `--strategy random` behind different URL shapes); each other
 * strategy gets a fresh balancer, so no strategy inherits another's estimates.
 */
import { join } from 'node:path';
import { hostPort } from '@lb/test-kit';
import { machinesOf } from '../../bench-options.js';
import { runClosedLoop } from '../../load/closed-loop-load.js';
import type { ReplicaReport } from '../../processes/balancer-admin.js';
import { type BalancerProcess, startBalancer } from '../../processes/balancer-process.js';
import { startVirtualServers } from '../../processes/virtual-server-cluster.js';
import { aggregateRequests } from '../../stats/aggregate-requests.js';
import { empiricalCdf } from '../../stats/empirical-cdf.js';
import type { ExperimentContext } from '../experiment-context.js';
import { writePayloadFile } from '../payload-file.js';
import type { RoutingMachine, RoutingResult, RoutingRun } from './routing-result.js';
import { bestRegionByProbes, ROUTING_STRATEGIES, routePath } from './routing-strategies.js';

export const ROUTING_FILE = 'payload.bin';
/**
 * Requests per concurrent worker sent before measuring, not recorded: they warm the JIT of a
 * balancer that just started (and of the servers), a cost no steady-state client pays.
 */
export const WARMUP_REQUESTS_PER_WORKER = 2;

function redirectsByLabel(
  servers: readonly ReplicaReport[],
  labelOf: ReadonlyMap<string, string>,
): Map<string, number> {
  return new Map(servers.map((server) => [labelOf.get(server.id) ?? server.id, server.redirects]));
}

export async function runRoutingExperiment(context: ExperimentContext): Promise<RoutingResult> {
  const { routing, seed } = context.options;
  const { reporter } = context;
  const file = join(context.workDir, ROUTING_FILE);
  await writePayloadFile(file, routing.fileSizeBytes, seed);

  const layout = machinesOf(routing.regions);
  const machines: RoutingMachine[] = layout.map((machine, index) => ({
    ...machine,
    rate: routing.rates?.[index] ?? null,
  }));
  reporter.note(`starting ${machines.length} virtual lb-servers`);
  const cluster = await startVirtualServers(
    file,
    machines.map((machine) =>
      machine.rate === null
        ? { latencyMs: machine.latencyMs }
        : { latencyMs: machine.latencyMs, rate: machine.rate },
    ),
  );
  const labelOf = new Map(
    cluster.addresses.map((address, index) => [hostPort(address), machines[index]!.label]),
  );
  const serverLines = cluster.addresses.map((address, index) => ({
    address: hostPort(address),
    region: machines[index]!.region,
  }));

  const runs: RoutingRun[] = [];
  let bestRegion: string | undefined;
  let balancer: BalancerProcess | undefined;
  try {
    for (const name of routing.strategies) {
      const strategy = ROUTING_STRATEGIES[name];
      try {
        if (
          balancer === undefined ||
          balancer.process.label !== `lb-balancer (${strategy.balancerStrategy})`
        ) {
          await balancer?.stop();
          balancer = undefined;
          reporter.note(`starting lb-balancer --strategy ${strategy.balancerStrategy}`);
          balancer = await startBalancer({
            servers: serverLines,
            strategy: strategy.balancerStrategy,
            seed,
            probePath: `/${ROUTING_FILE}`,
            probeIntervalSeconds: routing.probeIntervalSeconds,
          });
        }
        bestRegion ??= bestRegionByProbes((await balancer.admin.report()).servers);
        if (bestRegion === undefined) throw new Error('no region has a successful probe in /rep');
        const path = routePath(strategy.scope, bestRegion, ROUTING_FILE);
        const client = balancer.client;
        await runClosedLoop({
          requests: WARMUP_REQUESTS_PER_WORKER * routing.concurrency,
          concurrency: routing.concurrency,
          maxDurationMs: routing.maxSeconds * 1000,
          send: (_index, http) => http.fetch(client, path, true),
        });
        const before = await balancer.admin.report();
        const bar = reporter.bar(name, routing.requests);
        const run = await runClosedLoop({
          requests: routing.requests,
          concurrency: routing.concurrency,
          maxDurationMs: routing.maxSeconds * 1000,
          send: (_index, http) => http.fetch(client, path, true),
          onRecord: () => bar.increment(),
        });
        bar.stop();
        const after = await balancer.admin.report();
        const beforeCounts = redirectsByLabel(before.servers, labelOf);
        const balancerRedirects: Record<string, number> = {};
        for (const [label, count] of redirectsByLabel(after.servers, labelOf)) {
          balancerRedirects[label] = count - (beforeCounts.get(label) ?? 0);
        }
        const labelled = run.records.map((record) => ({
          ...record,
          server: record.server === null ? null : (labelOf.get(record.server) ?? record.server),
        }));
        const aggregate = aggregateRequests(labelled);
        const clientRedirects: Record<string, number> = {};
        for (const record of labelled) {
          if (record.server !== null) {
            clientRedirects[record.server] = (clientRedirects[record.server] ?? 0) + 1;
          }
        }
        const mismatched = Object.keys({ ...clientRedirects, ...balancerRedirects }).filter(
          (label) => (clientRedirects[label] ?? 0) !== (balancerRedirects[label] ?? 0),
        );
        if (mismatched.length > 0) {
          context.problems.push(
            `routing ${name}: client and /rep redirect counts differ for ${mismatched.join(', ')}`,
          );
        }
        if (aggregate.failed > 0) {
          context.problems.push(
            `routing ${name}: ${aggregate.failed} of ${aggregate.requests} requests failed (${JSON.stringify(aggregate.failures)})`,
          );
        }
        if (run.stoppedByTime) {
          context.problems.push(
            `routing ${name}: stopped by --max-seconds after ${run.records.length} of ${routing.requests} requests`,
          );
        }
        runs.push({
          strategy: name,
          balancerStrategy: strategy.balancerStrategy,
          path,
          aggregate,
          cdf: empiricalCdf(labelled.filter((record) => record.ok).map((record) => record.totalMs)),
          clientRedirects,
          balancerRedirects,
          stoppedByTime: run.stoppedByTime,
          durationMs: run.durationMs,
        });
      } catch (error) {
        const deaths = [balancer?.process, cluster.process].flatMap(
          (process) => process?.deathNote() ?? [],
        );
        context.problems.push(
          `routing ${name}: ${(error as Error).message}${deaths.length > 0 ? `; ${deaths.join('; ')}` : ''}`,
        );
        await balancer?.stop();
        balancer = undefined;
      }
    }
  } finally {
    await balancer?.stop();
    await cluster.process.stop();
  }
  if (bestRegion === undefined || runs.length === 0) {
    throw new Error(`no strategy could be measured: ${context.problems.join('; ')}`);
  }
  return {
    parameters: {
      regions: routing.regions,
      requests: routing.requests,
      concurrency: routing.concurrency,
      fileSizeBytes: routing.fileSizeBytes,
      probeIntervalSeconds: routing.probeIntervalSeconds,
      seed,
    },
    machines,
    bestRegion,
    runs,
  };
}
