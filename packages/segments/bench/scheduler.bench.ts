/**
 * Scheduler benchmark (a script, not a test): `pnpm --filter @lb/segments bench`.
 *
 * 1. Quality, in virtual time (deterministic): 4 sources at 2/4/8/16 MiB/s download 64 MiB in
 *    1 MiB fragments. Completion time against the fluid ideal size/Σrate, duplicate bytes, and the
 *    same with the fastest source lost at 0.5 s (connection reset, or silent hang that only stall
 *    detection or the endgame can see). Each scenario also runs with the endgame features off:
 *    plain pull scheduling is the baseline of the same run.
 * 2. Overhead, in wall time: ns per next() and per complete() for 1 GiB / 1 MiB (1 024 fragments)
 *    and 100 000 fragments.
 */
import { planFragments } from '../src/plan-fragments.js';
import { FragmentScheduler, type SchedulerOptions } from '../src/scheduler.js';
import { type SimulatedSource, simulateDownload } from '../test/simulate-download.js';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
const RATES_MIB = [2, 4, 8, 16];
const DIE_AT_MS = 500;

interface Variant {
  readonly name: string;
  readonly scheduler: Omit<SchedulerOptions, 'plan' | 'sources'>;
}

const variants: Variant[] = [
  { name: 'default (endgame copy + hold back slow)', scheduler: {} },
  { name: 'endgame copy only', scheduler: { endgame: { holdBackSlow: false } } },
  {
    name: 'baseline: plain pull',
    scheduler: { endgame: { duplicate: false, holdBackSlow: false } },
  },
];

type Loss = 'none' | 'dies' | 'hangs';

function sources(latencyMs: number, loss: Loss): SimulatedSource[] {
  return RATES_MIB.map((rate) => ({
    id: `${rate}MiB/s`,
    bytesPerSecond: rate * MiB,
    latencyMs,
    ...(loss === 'dies' && rate === 16 ? { dieAtMs: DIE_AT_MS } : {}),
    ...(loss === 'hangs' && rate === 16 ? { hangAtMs: DIE_AT_MS } : {}),
  }));
}

/** Fluid ideal: every source busy all the time, no fragment boundaries; latency paid per fragment. */
function idealMs(latencyMs: number, loss: Loss): number {
  const effective = (rate: number) => {
    const perFragmentMs = (MiB / (rate * MiB)) * 1000 + latencyMs;
    return MiB / perFragmentMs; // bytes per ms
  };
  const all = RATES_MIB.reduce((sum, r) => sum + effective(r), 0);
  if (loss === 'none') return SIZE / all;
  const survivors = all - effective(16);
  return DIE_AT_MS + (SIZE - all * DIE_AT_MS) / survivors;
}

function quality(): string[] {
  const plan = planFragments(SIZE);
  const lines = [
    '| scenario | scheduler | time (s) | ideal (s) | time / ideal | duplicate bytes | re-fetched bytes | fragments per source (2/4/8/16 MiB/s) |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const latencyMs of [0, 20]) {
    for (const loss of ['none', 'dies', 'hangs'] as const) {
      const ideal = idealMs(latencyMs, loss);
      const scenario = `${latencyMs} ms latency${loss === 'none' ? '' : `, 16 MiB/s ${loss === 'dies' ? 'resets' : 'hangs silently'} at 0.5 s`}`;
      for (const variant of variants) {
        const result = simulateDownload({
          plan,
          sources: sources(latencyMs, loss),
          scheduler: variant.scheduler,
        });
        if (!result.complete || result.acceptedPerFragment.some((n) => n !== 1)) {
          throw new Error(`${scenario} / ${variant.name}: incomplete or a fragment accepted twice`);
        }
        lines.push(
          `| ${scenario} | ${variant.name} | ${(result.finishedAtMs / 1000).toFixed(3)} | ${(ideal / 1000).toFixed(3)} | ${(result.finishedAtMs / ideal).toFixed(3)} | ${((result.duplicateBytes / SIZE) * 100).toFixed(2)} % | ${(result.wastedBytes / MiB).toFixed(2)} MiB | ${result.stats.map((s) => s.fragmentsDone).join(' / ')} |`,
        );
      }
    }
  }
  return lines;
}

interface Overhead {
  next: number;
  complete: number;
  timer: number;
}

/**
 * ns per next() and per complete() while 4 sources drain `count` fragments of 1 MiB, each call
 * timed on its own. Rounds repeat until 300 000 calls of each were timed; `timer` is the cost of
 * an empty timed region, measured the same way, and is subtracted in the report.
 */
function overheadOnce(count: number): Overhead {
  const plan = planFragments(count * MiB, { maxFragments: Number.POSITIVE_INFINITY });
  const ids = ['a', 'b', 'c', 'd'];
  let nextNs = 0n;
  let completeNs = 0n;
  let timerNs = 0n;
  let nextCalls = 0;
  let completeCalls = 0;
  while (completeCalls < 300_000) {
    const scheduler = new FragmentScheduler({ plan, sources: ids });
    let now = 0;
    const active = new Map<string, number>();
    while (!scheduler.isComplete()) {
      for (const id of ids) {
        if (active.has(id)) continue;
        const t0 = process.hrtime.bigint();
        const assignment = scheduler.next(id, now);
        nextNs += process.hrtime.bigint() - t0;
        nextCalls++;
        if (assignment) active.set(id, assignment.id);
      }
      now += 10;
      for (const [id, assignmentId] of active) {
        const t0 = process.hrtime.bigint();
        scheduler.complete(assignmentId, now, true);
        completeNs += process.hrtime.bigint() - t0;
        const t1 = process.hrtime.bigint();
        timerNs += process.hrtime.bigint() - t1;
        completeCalls++;
        active.delete(id);
      }
    }
  }
  return {
    next: Number(nextNs) / nextCalls,
    complete: Number(completeNs) / completeCalls,
    timer: Number(timerNs) / completeCalls,
  };
}

/** Median of 5 measurements after one warm-up. */
function overhead(count: number): Overhead {
  overheadOnce(count);
  const runs = Array.from({ length: 5 }, () => overheadOnce(count));
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  return {
    next: median(runs.map((r) => r.next)),
    complete: median(runs.map((r) => r.complete)),
    timer: median(runs.map((r) => r.timer)),
  };
}

const out: string[] = [];
out.push(`node ${process.version}, ${process.platform}/${process.arch}`, '');
out.push('### Virtual-time download: 64 MiB, 1 MiB fragments, sources at 2/4/8/16 MiB/s', '');
out.push(...quality(), '');
out.push('### Scheduler overhead (wall time, median of 5 measurements of ≥ 300 000 calls)', '');
out.push(
  '| fragments | ns per next() | ns per complete() | empty timed region (subtracted) |',
  '|---:|---:|---:|---:|',
);
for (const count of [1024, 100_000]) {
  const { next, complete, timer } = overhead(count);
  out.push(
    `| ${count.toLocaleString('en-US')} | ${(next - timer).toFixed(0)} | ${(complete - timer).toFixed(0)} | ${timer.toFixed(0)} |`,
  );
}
process.stdout.write(`${out.join('\n')}\n`);
