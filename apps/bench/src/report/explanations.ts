/**
 * The README's explanations. The mechanisms are stated in prose; the facts that depend on the run
 * (orders, shares, errors) are computed from the results, so the text stays true when a rerun
 * shifts the numbers.
 */

import { parseByteSize } from '../bench-options.js';
import type { HashA3Result, HashScalingResult } from '../experiments/hashing/hash-results.js';
import { variantName } from '../experiments/hashing/hash-scaling-experiment.js';
import type { RoutingResult, RoutingRun } from '../experiments/routing/routing-result.js';
import type { SimulatorResult } from '../experiments/simulator/simulator-experiment.js';
import { ms, percent, ratio } from './markdown-table.js';

/** Share of a run's successful requests per region, e.g. `A 71 %, B 24 %, C 5 %`. */
export function regionShares(result: RoutingResult, run: RoutingRun): string {
  const total = Object.values(run.aggregate.perServer).reduce((sum, n) => sum + n, 0);
  const regions = [...new Set(result.machines.map((machine) => machine.region))];
  return regions
    .map((region) => {
      const served = result.machines
        .filter((machine) => machine.region === region)
        .reduce((sum, machine) => sum + (run.aggregate.perServer[machine.label] ?? 0), 0);
      return `${region} ${percent(total === 0 ? Number.NaN : served / total, 0)}`;
    })
    .join(', ');
}

/** Why a strategy can come out on top, by name (used for this run's winners). */
const WHY_IT_CAN_WIN: Readonly<Record<string, string>> = {
  'p2c-peak-ewma':
    "of any two machines it takes the one with the lower probed latency, so the farthest machine never wins a pair, and the middle region wins the pairs without a near machine plus those where a busy near machine's last probe came back slow: it adds the middle region's capacity without the far region's latency",
  'random-in-best-region':
    'every request goes to the near region and is spread over all of its machines',
  'inverse-time':
    'its shares follow measured speed, so most requests go near while the farther machines take enough of the rest to keep the near region from queueing',
  'rank-weighted':
    'its rank shares send the near region most of the traffic and the farther regions enough of the rest to keep the near region from queueing; the price is a tail in the far region',
  'fixed-machine':
    'the nearest machine is as good as any when it does not have to queue (no rate limit, or little load)',
  'uniform-random':
    "it uses every machine's capacity, which pays off only when capacity, not distance, is scarce",
  'least-pending-p2c':
    "it uses every machine's capacity (with pending always 0 it is uniform random), which pays off only when capacity, not distance, is scarce",
};

function winner(result: RoutingResult, metric: 'mean' | 'p99'): RoutingRun {
  return [...result.runs].sort(
    (a, b) => a.aggregate.latency[metric] - b.aggregate.latency[metric],
  )[0]!;
}

/** Capacity arithmetic of the near region, when every machine has a rate. */
function capacityNote(result: RoutingResult): string {
  const near = result.machines.filter((machine) => machine.region === result.bestRegion);
  const rate = near[0]?.rate;
  if (rate === null || rate === undefined || near.some((machine) => machine.rate !== rate))
    return '';
  const perMachine = parseByteSize('rate', rate) / result.parameters.fileSizeBytes;
  const bestCaseMs = near[0]!.latencyMs + 1000 / perMachine;
  const demand = (result.parameters.concurrency * 1000) / bestCaseMs;
  const capacity = perMachine * near.length;
  return ` Capacity is easy to work out: a machine serves at most rate ÷ file size = ${perMachine.toFixed(0)} downloads/s. With ${result.parameters.concurrency} requests in flight and a best case of ${bestCaseMs.toFixed(0)} ms (latency + one transfer), region ${result.bestRegion} alone would be asked for ≈ ${demand.toFixed(0)} downloads/s against the ${capacity.toFixed(0)}/s its ${near.length} machines can give${demand > capacity ? ', so requests kept in it queue, and sending some of them to a farther region can be faster' : ', so it does not queue'}; one machine gives ${perMachine.toFixed(0)}/s, which is why a fixed machine queues hardest.`;
}

export function routingExplanation(result: RoutingResult | undefined): string {
  if (result === undefined) return '_No routing results yet._';
  const run = (name: string) => result.runs.find((candidate) => candidate.strategy === name);
  const shares = result.runs
    .map(
      (one) =>
        `- **${one.strategy}**: ${regionShares(result, one)}; p50 ${ms(one.aggregate.latency.p50)} ms, p99 ${ms(one.aggregate.latency.p99)} ms.`,
    )
    .join('\n');
  const byMean = winner(result, 'mean');
  const byTail = winner(result, 'p99');
  const named = (one: RoutingRun) => `**${one.strategy}** (${regionShares(result, one)})`;
  const winners =
    byMean === byTail
      ? `${named(byMean)} had both the lowest mean and the lowest p99 in this run: ${WHY_IT_CAN_WIN[byMean.strategy] ?? ''}.`
      : `${named(byMean)} had the lowest mean: ${WHY_IT_CAN_WIN[byMean.strategy] ?? ''}. ${named(byTail)} had the lowest p99: ${WHY_IT_CAN_WIN[byTail.strategy] ?? ''}.`;
  const rank = run('rank-weighted');
  const inverse = run('inverse-time');
  const nearShare = (one: RoutingRun) => {
    const total = Object.values(one.aggregate.perServer).reduce((sum, n) => sum + n, 0);
    const near = result.machines
      .filter((machine) => machine.region === result.bestRegion)
      .reduce((sum, machine) => sum + (one.aggregate.perServer[machine.label] ?? 0), 0);
    return total === 0 ? 0 : near / total;
  };
  let proportional = '';
  if (rank && inverse) {
    const [nearer, farther] =
      nearShare(inverse) >= nearShare(rank) ? [inverse, rank] : [rank, inverse];
    const slower = nearer.aggregate.latency.mean > farther.aggregate.latency.mean;
    proportional = ` In this run ${nearer.strategy} kept ${percent(nearShare(nearer), 0)} near against ${farther.strategy}'s ${percent(nearShare(farther), 0)}, and its mean was ${slower ? 'higher' : 'lower'} (${ms(nearer.aggregate.latency.mean)} vs ${ms(farther.aggregate.latency.mean)} ms)${slower ? `: region ${result.bestRegion} was short of capacity, so the extra near traffic queued` : ''}.`;
  }
  const fixed = run('fixed-machine');
  const region = run('random-in-best-region');
  const fixedVsRegion =
    fixed && region
      ? ` Here fixed-machine's p50 was ${ms(fixed.aggregate.latency.p50)} ms against random-in-best-region's ${ms(region.aggregate.latency.p50)} ms.`
      : '';
  return `A request's time is the redirect (the same for every strategy), the region's latency, one transfer at the machine's rate, and the wait for the machine's token bucket while other downloads use it. Two things decide: **distance** (send to the near region) and **capacity** (spread over enough machines that nobody queues).${capacityNote(result)}

Where each strategy sent its requests, by region, in this run:

${shares}

${winners}

- **fixed-machine** has the best distance and the least capacity: every download waits for the others in one token bucket (in a closed loop, about concurrency × transfer time).${fixedVsRegion} With \`--rate none\` nothing queues and it would tie with random-in-best-region.
- **random-in-best-region** has the best distance and the near region's capacity, no more.
- **uniform-random** ignores distance: half the machines are far, so its median is a far machine's time and its p99 the farthest region's latency plus a transfer.
- **rank-weighted** and **inverse-time** learn distance only from the probes (a timed download of the same file from every server) and turn it into *proportional* shares: slow machines get less, but never nothing — by design (every mirror keeps some traffic), so their tail still reaches the far regions. inverse-time's shares follow measured speed, which separates near from far more steeply than ranks do, so it keeps more traffic near.${proportional}
- **p2c-peak-ewma** compares two random machines and takes the cheaper. In lb-balancer a redirect is finished once written, so the strategy is told "done, 0 ms" right after each pick (\`apps/balancer/src/server-pool.ts\`): it never sees a download, only the probes, so its cost is the probed latency and the pending factor stays 1. The worst machine of any pair never wins, which cuts the far tail. The probes are its only load signal, and a real one: a probe is a download through the same token bucket as the clients', so a busy machine probes slower (every \`--probe-interval\`), and the same holds for rank-weighted and inverse-time.
- **least-pending-p2c** compares requests in flight, and for the same reason that number is always 0 at pick time: every pair is a tie, so it behaves like uniform-random. A load-aware strategy needs completion feedback, which a redirecting balancer does not get (a proxy would); section 3 simulates both.`;
}

function burstNote(result: SimulatorResult): string {
  const rate = result.machines[0]?.rate;
  if (rate === undefined || rate === null)
    return 'here no machine has a rate, so there is no bucket';
  const burst = Math.max(1024, Math.floor(parseByteSize('rate', rate) / 50));
  const file = result.fileSizeBytes;
  return `${(burst / 1024).toFixed(0)} KiB at ${rate}, ${burst >= file ? 'more than' : 'less than'} the ${(file / 1024).toFixed(0)} KiB file`;
}

export function simulatorExplanation(result: SimulatorResult | undefined): string {
  if (result === undefined) return '_No simulator results yet._';
  const relativeError = (metric: 'mean' | 'p50' | 'p99') => {
    const errors = result.measured.flatMap((measured) => {
      const sim = result.runs.find(
        (run) => run.strategy === measured.strategy && run.feedback === 'as-balancer',
      );
      return sim === undefined || !(measured.latency[metric] > 0)
        ? []
        : [Math.abs(sim.latency[metric] - measured.latency[metric]) / measured.latency[metric]];
    });
    return errors.reduce((sum, error) => sum + error, 0) / Math.max(1, errors.length);
  };
  return `The model: each machine is a server whose round trip is its region's latency plus ${result.overheadMs} ms (the redirect hop and the loopback stack, \`--sim-overhead-ms\`), whose service time is one transfer at its rate, served one at a time (lb-server's rate is a token bucket per server: concurrent downloads share it, and FIFO service at the full rate gives the same completion pace), with the same closed loop, request count, concurrency, probe interval and seed. Region- and machine-scoped strategies simulate only the machines their URL can reach. lb-balancer probes every server before it listens, so requests the simulator routes before the first probes have come back are simulated but left out of the statistics (\`warmupMs\`).

"As lb-balancer" wraps the strategy so that \`done\` is called at once with 0 ms, as the balancer does; "completion feedback" lets the simulator report each request's real latency when it ends, as a proxying balancer could. Over the strategies, the simulation "as lb-balancer" is off from the measurement by ${percent(relativeError('mean'), 0)} on the mean, ${percent(relativeError('p50'), 0)} on p50 and ${percent(relativeError('p99'), 0)} on p99, on average. The p50 of a strategy that splits traffic between a near and a far region sits at the step between the two (see the CDF), so a few percent of traffic moved either way shifts it a lot; the mean is the steadier comparison. Where the two feedback models differ (least-pending-p2c most of all), the difference is what a load signal would buy; where the simulator and the measurement differ, the causes are what the model leaves out. The largest is the token bucket's burst: lb-server lets a quiet server send 1/50 s of tokens at once (\`apps/server/src/token-bucket.ts\`; ${burstNote(result)}), so a machine that has been idle for a moment sends a whole file without waiting, while the model charges every download the full transfer time — which is why the model is pessimistic for the strategies that spread load thinly (uniform-random, rank-weighted, inverse-time) and close for the ones that keep machines busy (fixed-machine, random-in-best-region). The rest is the CPU the 2 shared cores give to the processes and the connection setups of the first requests.`;
}

export function hashingExplanations(scaling: HashScalingResult | undefined): {
  a1: string;
  a2: string;
  a4: string;
} {
  return {
    a1: "The servers count from their own request logs (JSON lines on stderr, one per response), the client counts the `301` Locations it followed, the balancer counts redirects per server in `/rep`; they are independent, so agreement shows no request was lost or double-counted on the way. The spread between replicas is the ring, not the load: each key goes to the first virtual node clockwise of its hash, and a replica's share is the sum of the arcs in front of its virtual nodes, which is its 1/N only on average.",
    a2: "Mean load falls as 1/N by construction; what the ring decides is the spread around it. A replica's share is a sum of V arcs (V = virtual nodes per replica), whose relative spread is about 1/√V, and the busiest of N replicas sits further above the mean as N grows (more draws, a larger maximum), so max/mean tends to creep up with N for a fixed V. Removing the oldest replica is the same arithmetic in reverse.",
    a4: a4Explanation(scaling),
  };
}

/** What this run says about the hash function: FNV-1a against murmur3 at the same vnode count. */
function hashFunctionNote(
  averages: ReadonlyArray<{ name: string; vnodes: number; mean: number }>,
): string {
  const fnv = averages.find((entry) => entry.name.startsWith('fnv1a'));
  const murmur = averages.find(
    (entry) => entry.name.startsWith('murmur3') && entry.vnodes === fnv?.vnodes,
  );
  if (fnv === undefined || murmur === undefined) return '';
  const weakness =
    'FNV-1a mixes each byte with one xor and one multiply, so near-identical strings — like these keys, `/keys/k000000.txt` … — avalanche poorly and land in correlated positions on the ring';
  return fnv.mean > murmur.mean * 1.02
    ? `At the same ${fnv.vnodes} vnodes FNV-1a balanced worse than murmur3 (${ratio(fnv.mean)} vs ${ratio(murmur.mean)}): ${weakness} (the @lb/ranking README measures the same on its rings).`
    : `At the same ${fnv.vnodes} vnodes FNV-1a balanced about as well as murmur3 here (${ratio(fnv.mean)} vs ${ratio(murmur.mean)}): the vnode count mattered far more than the function. ${weakness}, which shows over many key sets (the @lb/ranking README: max/mean p95 1.167 vs 1.129 over 40 seeds) more than in one.`;
}

/** The A-4 text: this run's balance order, and the two noise sources it has to be read against. */
function a4Explanation(scaling: HashScalingResult | undefined): string {
  if (scaling === undefined) return '';
  const averages = scaling.variants.map((variant) => {
    const growing = variant.steps.slice(
      0,
      variant.changes.filter((c) => c.kind === 'add').length + 1,
    );
    const mean = growing.reduce((sum, step) => sum + step.balance.maxOverMean, 0) / growing.length;
    return { name: variantName(variant.variant), vnodes: variant.variant.vnodes, mean };
  });
  const order = [...averages]
    .sort((a, b) => a.mean - b.mean)
    .map((entry) => `${entry.name} (${ratio(entry.mean)})`)
    .join(' < ');
  const largestN = Math.max(
    ...scaling.variants.flatMap((v) => v.steps.map((s) => s.replicas.length)),
  );
  const sampling = Math.sqrt((largestN - 1) / scaling.requests);
  const ringSpread = [...new Set(averages.map((entry) => entry.vnodes))]
    .sort((a, b) => a - b)
    .map((vnodes) => `${vnodes} vnodes ≈ ${percent(1 / Math.sqrt(vnodes), 0)}`)
    .join(', ');
  return `Average max/mean over N in this run, best first: ${order}. Two sources of spread add up. The ring's: a replica's share is a sum of V arcs, with a relative spread of about 1/√V (${ringSpread}). The keys': even a perfect hash spreads ${scaling.requests.toLocaleString('en-US')} keys over N replicas with a relative spread of √((N−1)/keys) (${percent(sampling, 1)} at N = ${largestN}), a floor no ring goes below. Virtual nodes are the lever: few of them leave some replicas owning much longer arcs than others, and more of them make the sums nearly equal, until the key floor dominates. ${hashFunctionNote(averages)} The moved share tracks the share the newcomer takes or the leaver held, not 1/N: where a replica owns more than 1/N, more keys move, so the deviations from the dashed ideal are the same imbalance seen from the other side. What consistent hashing guarantees is the zero above the charts: no key moves between replicas that stay.`;
}

export function failoverSectionExplanation(result: HashA3Result | undefined): string {
  if (result === undefined) return '';
  const worstOf = (values: Array<number | null>) => {
    const known = values.filter((value): value is number => value !== null);
    return known.length === 0 ? Number.NaN : Math.max(...known);
  };
  const worstUp = worstOf(result.trials.map((trial) => trial.upAfterMs));
  const worstLast = worstOf(result.trials.map((trial) => trial.lastRedirectAfterMs));
  const late = result.trials.reduce((sum, trial) => sum + trial.lostAfterDetection, 0);
  const elsewhere = result.trials.reduce((sum, trial) => sum + trial.lostElsewhere, 0);
  const after =
    late === 0 && elsewhere === 0
      ? 'Nothing was lost after `/rep` stopped listing the victim, and no other replica failed a request.'
      : `**${late} request(s) failed after \`/rep\` stopped listing the victim and ${elsewhere} on other replicas** — more than the two kinds above explain.`;
  return `Replacement is fast because it does not start a process: lb-balancer keeps one **warm standby** lb-server running outside the pool and promotes it the moment a replica's exit reaches it (starting a Node process through tsx takes seconds on this machine); the standby is then probed into rotation and a new standby is started in the background. Worst time to "up in /rep" over the kills: ${ms(worstUp)} ms (target < 1 s). The \`/rep\` columns are when the bench's poll saw the change — each poll is a fresh HTTP request, which on this busy machine can itself take a few hundred milliseconds — so they are upper bounds; "last 301 to it" is read from the requests themselves.

Requests lost are of two kinds. Those **in flight** on the replica when it died: their connection is reset, and no balancer can save them, only a client retry. And those the balancer redirected to it **before it noticed**: the balancer learns of the death from the child's exit, which the operating system reports only once it has torn the process down — ${ms(result.exitNoticeMs)} ms for a plain lb-server child in the control above, on this busy machine — and then its own event loop has to get to it; the last \`301\` to a dead replica reached the client up to ${ms(worstLast)} ms after the kill. Those requests fail fast with a refused connection, and a client that retries through the balancer gets a live replica (the bench's client deliberately does not retry, so every loss is counted). ${after} With consistent hashing the replacement, which has a new address and so a new place on the ring, takes over about 1/N of the keys — not exactly the dead replica's.`;
}
