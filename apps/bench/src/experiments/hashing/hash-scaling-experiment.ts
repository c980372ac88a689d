/**
 * for each hash variant (function × virtual nodes), one balancer that starts with the
 * minimum number of replicas and is grown to the maximum through `POST /add`, then shrunk back by
 * removing the oldest replica through `POST /rm`. At every membership the same keys are routed
 * (10,000 redirects, not followed: the balancer's choice is what is measured, counted at the client
 * and cross-checked with /rep), which gives the load per replica at each N and, between
 * consecutive memberships, the share of keys that moved against the ideal 1/N.
 */

import type { HashVariant } from '../../bench-options.js';
import { runClosedLoop } from '../../load/closed-loop-load.js';
import type { BalancerProcess } from '../../processes/balancer-process.js';
import { startBalancer } from '../../processes/balancer-process.js';
import { idealMovedShare, keyMovement } from '../../stats/key-movement.js';
import { loadBalance } from '../../stats/load-balance.js';
import type { ExperimentContext } from '../experiment-context.js';
import { CORPUS_PROBE_PATH } from '../payload-file.js';
import { type CountingReplica, startCountingReplicas, stopReplicas } from './hash-cluster.js';
import type {
  HashScalingResult,
  HashScalingVariantResult,
  MembershipChange,
  MembershipStep,
} from './hash-results.js';
import { ensureKeyCorpus } from './key-corpus.js';

export function variantName(variant: HashVariant): string {
  return `${variant.hash}, ${variant.vnodes} vnodes`;
}

/** The membership sequence: grow min→max adding h(min+1)…h(max), then remove h1, h2, … down to min. */
export function membershipPlan(
  labels: readonly string[],
  min: number,
): Array<{ kind: 'add' | 'remove'; label: string }> {
  const plan: Array<{ kind: 'add' | 'remove'; label: string }> = [];
  for (const label of labels.slice(min)) plan.push({ kind: 'add', label });
  for (const label of labels.slice(0, labels.length - min)) plan.push({ kind: 'remove', label });
  return plan;
}

async function routeKeys(
  context: ExperimentContext,
  balancer: BalancerProcess,
  keys: readonly string[],
  members: readonly CountingReplica[],
  barLabel: string,
): Promise<{ step: MembershipStep; owners: Map<string, string> }> {
  const { hashing } = context.options;
  const labelOf = new Map(members.map((replica) => [replica.address, replica.label]));
  const before = await balancer.admin.report();
  const bar = context.reporter.bar(barLabel, keys.length);
  const run = await runClosedLoop({
    requests: keys.length,
    concurrency: hashing.concurrency,
    maxDurationMs: hashing.maxSeconds * 1000,
    send: (index, client) => client.fetch(balancer.client, keys[index]!, false),
    onRecord: () => bar.increment(),
  });
  bar.stop();
  const after = await balancer.admin.report();
  const owners = new Map<string, string>();
  const counts: Record<string, number> = Object.fromEntries(members.map((m) => [m.label, 0]));
  let failed = 0;
  for (const record of run.records) {
    const label = record.server === null ? undefined : labelOf.get(record.server);
    if (!record.ok || label === undefined) {
      failed++;
      continue;
    }
    owners.set(keys[record.index]!, label);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  const balancerCounts: Record<string, number> = {};
  for (const replica of members) {
    const was = before.servers.find((server) => server.id === replica.address)?.redirects ?? 0;
    const now = after.servers.find((server) => server.id === replica.address)?.redirects ?? 0;
    balancerCounts[replica.label] = now - was;
  }
  const labels = members.map((replica) => replica.label);
  if (labels.some((label) => counts[label] !== balancerCounts[label])) {
    context.problems.push(
      `${barLabel}: client and /rep counts disagree: ${JSON.stringify(counts)} vs ${JSON.stringify(balancerCounts)}`,
    );
  }
  if (failed > 0) context.problems.push(`${barLabel}: ${failed} requests failed`);
  if (run.stoppedByTime) context.problems.push(`${barLabel}: stopped by --max-seconds`);
  return {
    owners,
    step: {
      replicas: labels,
      counts,
      balancerCounts,
      balance: loadBalance(labels.map((label) => counts[label] ?? 0)),
      failed,
    },
  };
}

async function runVariant(
  context: ExperimentContext,
  variant: HashVariant,
  replicas: readonly CountingReplica[],
  keys: readonly string[],
): Promise<HashScalingVariantResult> {
  const { hashing, seed } = context.options;
  const byLabel = new Map(replicas.map((replica) => [replica.label, replica]));
  let members = replicas.slice(0, hashing.minReplicas);
  const name = variantName(variant);
  context.reporter.note(`A-2/A-4 ${name}: lb-balancer over ${members.length} replicas`);
  const balancer = await startBalancer({
    servers: members.map((replica) => ({ address: replica.address })),
    strategy: 'consistent-hash',
    strategyOptions: { hash: variant.hash, vnodes: variant.vnodes },
    seed,
    probePath: CORPUS_PROBE_PATH,
    probeIntervalSeconds: 3600,
    label: `lb-balancer (consistent-hash ${name})`,
  });
  try {
    const steps: MembershipStep[] = [];
    const changes: MembershipChange[] = [];
    let current = await routeKeys(context, balancer, keys, members, `${name}, N=${members.length}`);
    steps.push(current.step);
    for (const change of membershipPlan(
      replicas.map((replica) => replica.label),
      hashing.minReplicas,
    )) {
      const replica = byLabel.get(change.label)!;
      const from = members.length;
      if (change.kind === 'add') {
        const added = await balancer.admin.add({ servers: [replica.address] });
        if (added[0]?.state !== 'up') {
          throw new Error(`/add ${replica.address}: state ${added[0]?.state ?? 'missing'}, not up`);
        }
        members = [...members, replica];
      } else {
        await balancer.admin.remove({ servers: [replica.address] });
        members = members.filter((member) => member !== replica);
      }
      const next = await routeKeys(
        context,
        balancer,
        keys,
        members,
        `${name}, N=${members.length} (${change.kind === 'add' ? '+' : '−'}${change.label})`,
      );
      const movement = keyMovement(current.owners, next.owners);
      changes.push({
        label: `${from}→${members.length} (${change.kind === 'add' ? '+' : '−'}${change.label})`,
        from,
        to: members.length,
        kind: change.kind,
        replica: change.label,
        ...movement,
        ideal: idealMovedShare(from, members.length),
      });
      steps.push(next.step);
      current = next;
    }
    return { variant, steps, changes };
  } finally {
    await balancer.stop();
  }
}

export async function runHashScalingExperiment(
  context: ExperimentContext,
): Promise<HashScalingResult> {
  const { hashing } = context.options;
  const corpus = await ensureKeyCorpus(context);
  context.reporter.note(`starting ${hashing.maxReplicas} lb-servers`);
  const replicas = await startCountingReplicas(corpus.root, hashing.maxReplicas);
  const variants: HashScalingVariantResult[] = [];
  try {
    for (const variant of hashing.variants) {
      try {
        variants.push(await runVariant(context, variant, replicas, corpus.keys));
      } catch (error) {
        context.problems.push(`A-2/A-4 ${variantName(variant)}: ${(error as Error).message}`);
      }
    }
  } finally {
    await stopReplicas(replicas);
  }
  if (variants.length === 0)
    throw new Error(`no variant could be measured: ${context.problems.join('; ')}`);
  return { requests: corpus.keys.length, concurrency: hashing.concurrency, variants };
}
