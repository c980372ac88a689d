import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describeEnvironment } from './environment.js';
import { fmt } from './markdown-table.js';
import { measurePickThroughput, PICK_SIZES, pickThroughputTable } from './pick-throughput.js';
import { ORACLE_P99_TARGET, simulatorReport } from './simulator-tables.js';

/**
 * `pnpm --filter @lb/ranking bench`: ns per pick of every registered strategy, then the simulator's
 * reference scenarios. Prints markdown and writes it to docs/benchmarks/ranking.md.
 */
const here = dirname(fileURLToPath(import.meta.url));
const outputPath = resolve(here, '../../../docs/benchmarks/ranking.md');

const environment = describeEnvironment();
const picks = measurePickThroughput();
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
