import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describeEnvironment } from './environment.js';
import { fmt } from './markdown-table.js';
import {
  healthPicksTable,
  measureHealthPicks,
  measurePickThroughput,
  PICK_SIZES,
  type PickBaseline,
  pickBaselineTable,
  pickThroughputTable,
} from './pick-throughput.js';
import { ORACLE_P99_TARGET, simulatorReport } from './simulator-tables.js';

/**
 * `pnpm --filter @lb/ranking bench`: ns per pick of every registered strategy, then the simulator's
 * reference scenarios. Prints markdown and writes it to docs/benchmarks/ranking.md.
 */
const here = dirname(fileURLToPath(import.meta.url));
const outputPath = resolve(here, '../../../docs/benchmarks/ranking.md');

const environment = describeEnvironment();
const picks = measurePickThroughput();
const healthPicks = measureHealthPicks();
const baseline = JSON.parse(
  readFileSync(resolve(here, 'pick-baseline.json'), 'utf8'),
) as PickBaseline;
const simulator = simulatorReport(() => performance.now());

const metCount = simulator.oracleTargets.filter((t) => t.met).length;
const report = [
  '# @lb/ranking benchmarks',
  '',
  ...environment,
  '- Reproduce: `pnpm --filter @lb/ranking bench` (writes this file; simulator results are',
  '  deterministic for their seeds, timings are not)',
  '',
  '## ns per pick',
  '',
  `Each registered strategy with ${PICK_SIZES.join(', ')} endpoints (weights 1–3), every endpoint probed once`,
  'beforehand; `done()` is called when a pick returns it; hashed strategies get one of 4096 keys.',
  'Warm-up of 40 000 picks, then the median of 5 runs of up to 200 000 picks (fewer when a run would',
  'exceed ~150 ms). Ratios are against `random` at the same size, measured in the same run.',
  '',
  pickThroughputTable(picks),
  '',
  'A pick without `exclude` is O(1) (random, round-robin, the P2C strategies: two draws and two',
  'costs over a list cached per membership version) or O(log n) (rank-weighted, inverse-time: one',
  'draw and a binary search over cumulative weights cached per membership and probe version; the',
  'first pick after a probe rebuilds them). smooth-weighted-round-robin stays O(n), as nginx’s own',
  'loop is; the hashed strategies were already O(1)/O(log n) (rendezvous is O(n) by design).',
  '',
  'The same strategies behind `health: true` with 10 of 1000 endpoints taken down by failed probes',
  '(the wrapper excludes them on every pick): random and the P2C strategies redraw past excluded',
  'endpoints; rank-weighted and inverse-time already treat a failed probe as unavailable, so the',
  'exclusion changes nothing and they keep their cached weights (a pick whose `exclude` names a',
  'current candidate re-ranks the rest, O(n log n), for rank-weighted).',
  '',
  healthPicksTable(healthPicks),
  '',
  `### Before and after the candidate caches (recorded ${baseline.date.slice(0, 10)})`,
  '',
  baseline.note,
  `Load averages during that run: ${baseline.loadAverages.map((l) => l.join(' / ')).join('; ')}.`,
  '',
  pickBaselineTable(baseline),
  '',
  `Simulator speed: ${fmt(simulator.eventsPerSec / 1e6, 2)} M events/s (supermarket runs, strategy cost included).`,
  '',
  ...simulator.sections.flatMap((section) => [`## ${section.title}`, '', section.body, '']),
  `Oracle target (p99 ≤ ${ORACLE_P99_TARGET}× the oracle's) met with the default two choices in ${metCount} of ${simulator.oracleTargets.length} strategy × scenario cases; smallest \`choices\` that meets it:`,
  ...simulator.oracleTargets.map((t) => {
    const d = simulator.choiceTargets.find(
      (c) => c.scenario === t.scenario && c.strategy === t.strategy,
    )?.choices;
    return `- ${t.scenario} — ${t.strategy}: ${t.met ? 'met' : 'not met'} at d = 2; ${d === undefined ? 'not met up to d = 8' : `met from d = ${d}`}`;
  }),
  '',
].join('\n');

process.stdout.write(report);
mkdirSync(dirname(outputPath), { recursive: true });
writeFileSync(outputPath, report);
process.stdout.write(`\nWrote ${outputPath}\n`);
