/**
 * the balancer's admin API and replica failover. A `--spawn` balancer (consistent hashing over
 * managed lb-server replicas) has every admin endpoint exercised — `/rep`, `/add` and `/rm` with a
 * count and with a server list, `/metrics` — each checked against /rep. Then, under a steady load,
 * a replica (a child pid from /rep) is SIGKILLed, repeatedly: how long until /rep shows its
 * replacement up and until the replacement served a request, and which requests failed.
 */

import { hostPort } from '@lb/test-kit';
import { runClosedLoop } from '../../load/closed-loop-load.js';
import type { BalancerAdmin, BalancerReport } from '../../processes/balancer-admin.js';
import { startBalancer } from '../../processes/balancer-process.js';
import { startSingleServer } from '../../processes/single-server.js';
import type { ExperimentContext } from '../experiment-context.js';
import { CORPUS_PROBE_PATH } from '../payload-file.js';
import {
  analyzeKill,
  completionTimeline,
  failuresElsewhere,
  type KillEvent,
} from './failover-analysis.js';
import type { AdminCheck, HashA3Result } from './hash-results.js';
import { ensureKeyCorpus } from './key-corpus.js';

/** Steady load before and after each kill; long enough to see the dip and the recovery. */
const STEADY_MS = 1500;
const POLL_MS = 5;
const REPLACEMENT_TIMEOUT_MS = 15_000;
/** A new standby is a fresh Node process; on a busy machine it takes a few seconds to listen. */
const STANDBY_TIMEOUT_MS = 60_000;
const TIMELINE_BUCKET_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function managed(report: BalancerReport) {
  return report.servers.filter((server) => server.pid !== null);
}

async function waitForReport(
  admin: BalancerAdmin,
  accept: (report: BalancerReport) => boolean,
  timeoutMs: number,
): Promise<BalancerReport | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const report = await admin.report();
    if (accept(report)) return report;
    if (performance.now() >= deadline) return undefined;
    await sleep(POLL_MS);
  }
}

async function exerciseAdmin(
  admin: BalancerAdmin,
  external: string,
  replicas: number,
): Promise<AdminCheck[]> {
  const checks: AdminCheck[] = [];
  const upCount = (report: BalancerReport) => report.servers.filter((s) => s.state === 'up').length;
  const first = await admin.report();
  if (managed(first).length !== replicas)
    throw new Error(`/rep lists ${managed(first).length} replicas, not ${replicas}`);
  checks.push({
    call: 'GET /rep',
    status: '200',
    effect: `${managed(first).length} managed replicas up, standby pid ${first.replicas.standbyPid ?? 'none yet'}`,
  });

  const added = await admin.add({ count: 1 });
  const afterAdd = await admin.report();
  if (managed(afterAdd).length !== replicas + 1)
    throw new Error('/add {"count":1} did not add a replica');
  checks.push({
    call: 'POST /add {"count":1}',
    status: '200',
    effect: `replicas ${replicas} → ${managed(afterAdd).length}; new ${added[0]?.id} is ${added[0]?.state}`,
  });

  const removed = await admin.remove({ count: 1 });
  const afterRemove = await admin.report();
  if (managed(afterRemove).length !== replicas)
    throw new Error('/rm {"count":1} did not remove a replica');
  checks.push({
    call: 'POST /rm {"count":1}',
    status: '200',
    effect: `replicas ${replicas + 1} → ${managed(afterRemove).length}; ${removed[0]?.id} stopped`,
  });

  await admin.add({ servers: [external] });
  const withExternal = await admin.report();
  const externalState = withExternal.servers.find((server) => server.id === external)?.state;
  if (externalState !== 'up')
    throw new Error(`/add {"servers":[…]}: ${external} is ${externalState}`);
  checks.push({
    call: `POST /add {"servers":["${external}"]}`,
    status: '200',
    effect: `servers up ${upCount(afterRemove)} → ${upCount(withExternal)} (external lb-server, probed up)`,
  });

  await admin.remove({ servers: [external] });
  const withoutExternal = await admin.report();
  if (withoutExternal.servers.some((server) => server.id === external)) {
    throw new Error(`/rm {"servers":[…]} left ${external} in /rep`);
  }
  checks.push({
    call: `POST /rm {"servers":["${external}"]}`,
    status: '200',
    effect: `servers up ${upCount(withExternal)} → ${upCount(withoutExternal)}`,
  });

  const metrics = await admin.metrics();
  const up = /^lb_balancer_servers_up(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1];
  if (up === undefined) throw new Error('/metrics has no lb_balancer_servers_up');
  checks.push({
    call: 'GET /metrics',
    status: '200',
    effect: `${metrics.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length} samples; lb_balancer_servers_up ${up}`,
  });
  return checks;
}

export async function runHashA3Experiment(context: ExperimentContext): Promise<HashA3Result> {
  const { failover, hashing, seed } = context.options;
  const corpus = await ensureKeyCorpus(context);
  context.reporter.note('starting an external lb-server and a --spawn lb-balancer');
  const external = await startSingleServer({
    root: corpus.root,
    id: 'external',
    extraArgs: ['--log-level', 'warn'],
  });
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  try {
    balancer = await startBalancer({
      servers: [],
      spawn: { count: failover.replicas, root: corpus.root },
      strategy: 'consistent-hash',
      strategyOptions: { hash: hashing.variants[0]!.hash, vnodes: hashing.variants[0]!.vnodes },
      seed,
      probePath: CORPUS_PROBE_PATH,
      probeIntervalSeconds: 2,
      label: 'lb-balancer (--spawn)',
    });
  } catch (error) {
    await external.process.stop();
    throw error;
  }
  try {
    const adminChecks = await exerciseAdmin(
      balancer.admin,
      hostPort(external.address),
      failover.replicas,
    );
    // The control: how long a SIGKILLed lb-server takes to be reported gone to its parent here.
    const killedAt = performance.now();
    process.kill(external.process.pid, 'SIGKILL');
    await external.process.exited;
    const exitNoticeMs = performance.now() - killedAt;

    let stop = false;
    const kills: KillEvent[] = [];
    const bar = context.reporter.bar(`A-3 ${failover.kills} replica kills`, failover.kills);
    const origin = performance.now();
    const load = runClosedLoop({
      requests: Number.MAX_SAFE_INTEGER,
      concurrency: failover.concurrency,
      maxDurationMs: hashing.maxSeconds * 1000,
      shouldStop: () => stop,
      send: (index, client) =>
        client.fetch(balancer.client, corpus.keys[index % corpus.keys.length]!, true),
    });
    try {
      for (let trial = 0; trial < failover.kills; trial++) {
        const ready = await waitForReport(
          balancer.admin,
          (report) =>
            report.replicas.standbyPid !== null && managed(report).every((s) => s.state === 'up'),
          STANDBY_TIMEOUT_MS,
        );
        if (ready === undefined) throw new Error('no warm standby became ready');
        await sleep(STEADY_MS);
        const before = await balancer.admin.report();
        const replicas = managed(before);
        const victim = replicas[trial % replicas.length]!;
        const knownPids = new Set(replicas.map((server) => server.pid));
        const atMs = performance.now() - origin;
        process.kill(victim.pid!, 'SIGKILL');
        let goneAtMs: number | null = null;
        const after = await waitForReport(
          balancer.admin,
          (report) => {
            const gone = !report.servers.some((server) => server.id === victim.id);
            if (gone) goneAtMs ??= performance.now() - origin;
            return (
              gone &&
              managed(report).some((server) => !knownPids.has(server.pid) && server.state === 'up')
            );
          },
          REPLACEMENT_TIMEOUT_MS,
        );
        const upAtMs = after === undefined ? null : performance.now() - origin;
        const replacement =
          after === undefined
            ? undefined
            : managed(after).find((server) => !knownPids.has(server.pid));
        kills.push({
          atMs,
          victim: victim.id,
          victimPid: victim.pid!,
          replacement: replacement?.id ?? null,
          goneAtMs,
          upAtMs,
        });
        bar.increment();
        await sleep(STEADY_MS);
      }
    } finally {
      stop = true;
      bar.stop();
    }
    const run = await load;
    // Kill times were taken on the same clock; re-base them on the run's own start.
    const shift = origin - run.startedAt;
    const rebase = (ms: number | null) => (ms === null ? null : ms + shift);
    const rebased = kills.map((kill) => ({
      ...kill,
      atMs: kill.atMs + shift,
      goneAtMs: rebase(kill.goneAtMs),
      upAtMs: rebase(kill.upAtMs),
    }));
    const victims = new Set(rebased.map((kill) => kill.victim));
    const trials = rebased.map((kill) => analyzeKill(run.records, kill, STEADY_MS));
    const elsewhere = failuresElsewhere(run.records, victims);
    if (trials[0] !== undefined) trials[0].lostElsewhere = elsewhere;
    for (const trial of trials) {
      if (trial.upAfterMs === null)
        context.problems.push(
          `A-3: no replacement for ${trial.victim} within ${REPLACEMENT_TIMEOUT_MS} ms`,
        );
      else if (trial.upAfterMs >= 1000)
        context.problems.push(
          `A-3: replacement for ${trial.victim} took ${trial.upAfterMs.toFixed(0)} ms (target < 1 s)`,
        );
    }
    const lateLosses = trials.reduce((sum, trial) => sum + trial.lostAfterDetection, 0);
    if (lateLosses > 0) {
      context.problems.push(
        `A-3: ${lateLosses} requests were redirected to a replica after /rep showed it gone`,
      );
    }
    if (elsewhere > 0)
      context.problems.push(`A-3: ${elsewhere} requests failed on replicas that were not killed`);
    const first = rebased[0]!;
    const firstTrial = trials[0]!;
    return {
      replicas: failover.replicas,
      concurrency: failover.concurrency,
      adminChecks,
      trials,
      totalRequests: run.records.length,
      totalFailed: run.records.filter((record) => !record.ok).length,
      exitNoticeMs,
      timeline: completionTimeline(run.records, first.atMs, -1000, STEADY_MS, TIMELINE_BUCKET_MS),
      timelineMarkers: [
        { atMs: 0, label: 'SIGKILL' },
        // The first trial's moments that happened, in this order.
        ...(
          [
            [firstTrial.lastRedirectAfterMs, 'last 301 to it'],
            [firstTrial.goneAfterMs, 'gone from /rep'],
            [firstTrial.upAfterMs, 'up in /rep'],
            [firstTrial.servedAfterMs, 'replacement served'],
          ] as const
        ).flatMap(([atMs, label]) => (atMs === null ? [] : [{ atMs, label }])),
      ],
    };
  } finally {
    await Promise.all([
      balancer.stop(),
      external.process.running ? external.process.stop() : undefined,
    ]);
  }
}
