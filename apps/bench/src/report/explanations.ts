/**
 * The README's explanations. The mechanisms are stated in prose; the facts that depend on the run
 * (orders, shares, errors) are computed from the results, so the text stays true when a rerun
 * shifts the numbers.
 */
import type { HashA3Result } from '../experiments/hashing/hash-results.js';
import type { RoutingResult, RoutingRun } from '../experiments/routing/routing-result.js';
import type { SimulatorResult } from '../experiments/simulator/simulator-experiment.js';
import { ms, percent } from './markdown-table.js';

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

export function routingExplanation(result: RoutingResult | undefined): string {
  if (result === undefined) return '_No routing results yet._';
  const run = (name: string) => result.runs.find((candidate) => candidate.strategy === name);
  const shares = result.runs
    .map(
      (one) =>
        `- **${one.strategy}**: ${regionShares(result, one)}; p50 ${ms(one.aggregate.latency.p50)} ms, p99 ${ms(one.aggregate.latency.p99)} ms.`,
    )
    .join('\n');
  const fixed = run('fixed-machine');
  const region = run('random-in-best-region');
  const throttled = result.machines.every((machine) => machine.rate !== null);
  return `A request's time is the redirect (the same for every strategy), the region's latency, the transfer at the machine's rate, and the wait for the machine's token bucket while other transfers use it. Two things decide the winner: **distance** (send to the near region) and **capacity** (spread over enough machines that nobody queues). Where each strategy sent its requests, by region, in this run:

${shares}

- **Near and spread wins.** ${region ? `random-in-best-region keeps every request in the near region but spreads it over ${result.machines.filter((m) => m.region === result.bestRegion).length} machines` : 'Restricting to the best region keeps every request near'}, so it pays the small latency and at most a short queue.${
    throttled && fixed && region
      ? ` **fixed-machine** has the same distance but one machine's capacity: with ${result.parameters.concurrency} requests in flight, every download waits for the others in that machine's token bucket (closed loop: about concurrency × transfer time), so its p50 (${ms(fixed.aggregate.latency.p50)} ms) is ${fixed.aggregate.latency.p50 > region.aggregate.latency.p50 ? 'worse' : 'not better'} than random-in-best-region's (${ms(region.aggregate.latency.p50)} ms) despite the best latency; with \`--rate none\` the two would tie.`
      : ''
  }
- **uniform-random** ignores distance: half the machines are far, so its median is a far machine's time and its p99 the farthest region's latency plus a transfer.
- **rank-weighted** and **inverse-time** learn distance only from the probes (a timed download of the same file from every server) and turn it into *proportional* shares: slow machines get less, but never nothing — by design (every mirror keeps some traffic), so their p99 still lands in the far regions. inverse-time's shares follow measured speed, which differs between near and far more steeply than ranks do, so it keeps more in the near region.
- **p2c-peak-ewma** compares two random machines and takes the one with the lower cost. In lb-balancer a redirect is finished once written, so the strategy is told "done, 0 ms" right after each pick (\`apps/balancer/src/server-pool.ts\`): it never sees a download, only the probes. With costs equal to the probed latency, the worst machine of any pair never wins — the farthest machine gets nothing and the middle region only the pairs without a near machine — which gives a short tail without any load signal.
- **least-pending-p2c** compares requests in flight, and for the same reason that number is always 0 at pick time: every pair is a tie, so it behaves like uniform-random. A load-aware strategy needs completion feedback, which a redirecting balancer does not have (a proxy would); section 3 simulates both.`;
}

export function simulatorExplanation(result: SimulatorResult | undefined): string {
  if (result === undefined) return '_No simulator results yet._';
  const errors = result.measured.flatMap((measured) => {
    const sim = result.runs.find(
      (run) => run.strategy === measured.strategy && run.feedback === 'as-balancer',
    );
    return sim === undefined || !(measured.latency.p50 > 0)
      ? []
      : [Math.abs(sim.latency.p50 - measured.latency.p50) / measured.latency.p50];
  });
  const meanError = errors.reduce((sum, error) => sum + error, 0) / Math.max(1, errors.length);
  return `The model: each machine is a server whose round trip is its region's latency plus ${result.overheadMs} ms (the redirect hop and the loopback stack, \`--sim-overhead-ms\`), whose service time is one transfer at its rate, served one at a time (lb-server's rate is a token bucket per server: concurrent downloads share it, and FIFO service at the full rate gives the same completion pace), with the same closed loop, request count, concurrency, probe interval and seed. Region- and machine-scoped strategies simulate only the machines their URL can reach.

"As lb-balancer" wraps the strategy so that \`done\` is called at once with 0 ms, as the balancer does; "completion feedback" lets the simulator report each request's real latency when it ends, as a proxying balancer could. Over the strategies, the simulated p50 "as lb-balancer" is within ${percent(meanError, 0)} of the measured p50 on average. Where the two feedback models differ (least-pending-p2c most of all), the difference is what a load signal would buy; where the simulator and the measurement differ, the causes are what the model leaves out: the CPU the 2 shared cores give to the processes, the token bucket's burst, and the connection setups of the first requests.`;
}

export function hashingExplanations(): { a1: string; a2: string; a4: string } {
  return {
    a1: 'The servers count from their own request logs (JSON lines on stderr, one per response), the client counts the `301` Locations it followed, the balancer counts redirects per server in `/rep`; they are independent, so agreement shows no request was lost or double-counted on the way. The spread between replicas is the ring, not the load: each key goes to the first virtual node clockwise of its hash, and with 160 virtual nodes per replica the arcs a replica owns add up to its share only within a few percent.',
    a2: "Mean load falls as 1/N by construction; what the ring decides is the spread around it. Each replica owns the sum of its virtual nodes' arcs; the relative spread of that sum shrinks like 1/√vnodes, and the busiest of N replicas sits further above the mean as N grows (more draws, a larger maximum), so max/mean tends to creep up with N for a fixed vnode count. Removing the oldest replica is the same arithmetic in reverse, which is why the shrinking rows mirror the growing ones.",
    a4: "Virtual nodes are the lever: 10 per replica leaves arcs so uneven that one replica can own a multiple of another's share; 1000 make the sums nearly equal. The hash function matters less than the vnode count as long as it mixes well: FNV-1a mixes its last input bytes poorly and these keys differ only in their last digits, so its ring points and key positions cluster, which costs balance at the same vnode count. The moved share tracks the share the newcomer takes (or the leaver held), not 1/N: where a replica owns more than 1/N, more keys move, and the chart's deviations from the dashed ideal are the same imbalance seen from the other side. What consistent hashing guarantees is the zero in the sentence above the charts: no key moves between replicas that stay.",
  };
}

export function failoverSectionExplanation(result: HashA3Result | undefined): string {
  if (result === undefined) return '';
  const up = result.trials.flatMap((trial) => (trial.upAfterMs === null ? [] : [trial.upAfterMs]));
  const worst = up.length === 0 ? Number.NaN : Math.max(...up);
  const late = result.trials.reduce((sum, trial) => sum + trial.lostAfterDetection, 0);
  const elsewhere = result.trials.reduce((sum, trial) => sum + trial.lostElsewhere, 0);
  const after =
    late === 0 && elsewhere === 0
      ? 'Nothing was lost after `/rep` stopped listing the victim, and no other replica failed a request.'
      : `**${late} request(s) failed after \`/rep\` stopped listing the victim and ${elsewhere} on other replicas** — more than the two kinds above explain.`;
  return `Replacement is fast because it does not start a process: lb-balancer keeps one **warm standby** lb-server running outside the pool and promotes it the moment a replica's exit reaches it (starting a Node process through tsx takes seconds on this machine); the standby is then probed into rotation and a new standby is started in the background. Worst time to "up in /rep" over the kills: ${ms(worst)} ms (target < 1 s). Requests lost are of two kinds: those **in flight** on the replica when it died (their connection is reset — no balancer can save them, only a client retry), and those the balancer redirected to it **before it noticed** the death (between the SIGKILL and the child's exit event in the balancer's event loop; they fail fast with a refused connection, and a client that retries through the balancer gets a live replica). ${after} With consistent hashing the replacement, which has a new address and so a new place on the ring, takes over about 1/N of the keys — not exactly the dead replica's.`;
}
