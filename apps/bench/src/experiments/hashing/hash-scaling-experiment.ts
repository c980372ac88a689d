/**
 * A-2 and A-4: for each hash variant (function × virtual nodes), one balancer that starts with the
 * minimum number of replicas and is grown to the maximum through `POST /add`, then shrunk back by
 * removing the oldest replica through `POST /rm`. At every membership the same keys are routed
 * (10,000 redirects, not followed: the balancer's choice is what is measured, counted at the client
 * and cross-checked with /rep), which gives the load per replica at each N (A-2) and, between
 * consecutive memberships, the share of keys that moved against the ideal 1/N (A-4).
 */

import type { HashVariant } from '../../bench-options.js';
import { runClosedLoop } from '../../load/closed-loop-load.js';
import { type BalancerProcess, startBalancer } from '../../processes/balancer-process.js';
import { idealMovedShare, keyMovement, movedBetweenOthers } from '../../stats/key-movement.js';
import { loadBalance } from '../../stats/load-balance.js';
import type { ExperimentContext } from '../experiment-context.js';
import { CORPUS_PROBE_PATH } from '../payload-file.js';
import type { CountingReplica } from './hash-cluster.js';
import type {
  HashScalingResult,
  HashScalingVariantResult,
  MembershipChange,
  MembershipStep,
} from './hash-results.js';

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

function startVariantBalancer(
  context: ExperimentContext,
  variant: HashVariant,
  members: readonly CountingReplica[],
): Promise<BalancerProcess> {
  return startBalancer({
    servers: members.map((replica) => ({ address: replica.address })),
    strategy: 'consistent-hash',
    strategyOptions: { hash: variant.hash, vnodes: variant.vnodes },
    seed: context.options.seed,
    probePath: CORPUS_PROBE_PATH,
    probeIntervalSeconds: 3600,
    label: `lb-balancer (consistent-hash ${variantName(variant)})`,
  });
}

async function measureVariant(
  context: ExperimentContext,
  variant: HashVariant,
  balancer: BalancerProcess,
  replicas: readonly CountingReplica[],
  keys: readonly string[],
): Promise<HashScalingVariantResult> {
  const { hashing } = context.options;
  const byLabel = new Map(replicas.map((replica) => [replica.label, replica]));
  let members = replicas.slice(0, hashing.minReplicas);
  const name = variantName(variant);
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
    const sign = change.kind === 'add' ? '+' : '−';
    const next = await routeKeys(
      context,
      balancer,
      keys,
      members,
      `${name}, N=${members.length} (${sign}${change.label})`,
    );
    changes.push({
      label: `${from}→${members.length} (${sign}${change.label})`,
      from,
      to: members.length,
      kind: change.kind,
      replica: change.label,
      ...keyMovement(current.owners, next.owners),
      ideal: idealMovedShare(from, members.length),
      movedBetweenSurvivors: movedBetweenOthers(current.owners, next.owners, change.label),
    });
    steps.push(next.step);
    current = next;
  }
  return { variant, steps, changes };
}

/**
 * Runs every variant over `replicas` (the first `minReplicas` to start with). Only routing
 * decisions are measured here, not times, so the variants' balancers start in parallel.
 */
export async function measureScaling(
  context: ExperimentContext,
  replicas: readonly CountingReplica[],
  keys: readonly string[],
): Promise<HashScalingResult> {
  const { hashing } = context.options;
  const initial = replicas.slice(0, hashing.minReplicas);
  context.reporter.note(
    `starting ${hashing.variants.length} lb-balancers (one per variant) over ${initial.length} replicas`,
  );
  const started = await Promise.allSettled(
    hashing.variants.map((variant) => startVariantBalancer(context, variant, initial)),
  );
  const variants: HashScalingVariantResult[] = [];
  try {
    for (const [index, variant] of hashing.variants.entries()) {
      const balancer = started[index]!;
      try {
        if (balancer.status === 'rejected') throw balancer.reason;
        variants.push(await measureVariant(context, variant, balancer.value, replicas, keys));
      } catch (error) {
        const deaths = [
          ...(balancer.status === 'fulfilled' ? [balancer.value.process] : []),
          ...replicas.map((replica) => replica.server.process),
        ].flatMap((process) => process.deathNote() ?? []);
        context.problems.push(
          `A-2/A-4 ${variantName(variant)}: ${(error as Error).message}${deaths.length > 0 ? `; ${deaths.join('; ')}` : ''}`,
        );
      } finally {
        if (balancer.status === 'fulfilled') await balancer.value.stop();
      }
    }
  } finally {
    await Promise.all(
      started.flatMap((result) => (result.status === 'fulfilled' ? [result.value.stop()] : [])),
    );
  }
  if (variants.length === 0) throw new Error('no variant could be measured');
  return { requests: keys.length, concurrency: hashing.concurrency, variants };
}
