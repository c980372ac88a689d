/**
 * The bench's command line: flags (bench-flags.ts) → options → print the parameters → run the
 * experiments → write docs/evaluation/ → exit 0, or 1 when an experiment (or a chart) failed,
 * 2 on bad flags, 130 on Ctrl-C (EXIT_CODES in bench-errors.ts). The only module that prints to
 * stdout, reads argv or exits.
 */
import { availableParallelism, loadavg } from 'node:os';
import {
  buildArgv as buildCliArgv,
  type CliIo,
  dropLeadingSeparator,
  exitCodeFor,
  exitWith,
  processIo,
  writeLine,
} from '@lb/cli-kit';
import type { Argv } from 'yargs';
import { BenchOptionError, EXIT_CODES } from './bench-errors.js';
import { benchFlags } from './bench-flags.js';
import { type BenchFlags, type BenchOptions, resolveBenchOptions } from './bench-options.js';
import type { EvaluationResults } from './evaluation-results.js';
import { EXPERIMENTS } from './experiments/experiment-registry.js';
import { stopTrackedChildren } from './processes/process-registry.js';
import { createReporter } from './progress-reporter.js';
import { runExperiments } from './run-experiments.js';
import { readPreviousResults, writeEvaluation } from './write-evaluation.js';

/** The yargs parser for `argv` (without node and the script); never exits the process. */
export function buildArgv(argv: readonly string[]): Argv {
  return buildCliArgv(argv, {
    scriptName: 'pnpm --filter bench start --',
    usage:
      '$0 [options]\n\nRuns the routing and consistent-hashing experiments on real lb processes on 127.0.0.1 and writes tables and plots into docs/evaluation/.',
    options: benchFlags,
    strict: 'all',
    builtInHelp: true,
    usageError: (message) => new BenchOptionError(message),
  });
}

type ParsedArgv = Record<string, unknown> & { _: unknown[] };

function numberFlag(argv: ParsedArgv, name: string): number | undefined {
  const value = argv[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new BenchOptionError(`--${name} given more than once`);
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new BenchOptionError(`--${name}: not a number`);
  return value;
}

function stringsFlag(argv: ParsedArgv, name: string): string[] | undefined {
  const value = argv[name];
  return value === undefined ? undefined : (value as unknown[]).map(String);
}

/** Parsed flags → BenchFlags (undefined where not given, so --quick defaults can apply). */
export function toBenchFlags(argv: ParsedArgv): BenchFlags {
  const out = argv['out'];
  if (Array.isArray(out)) throw new BenchOptionError('--out given more than once');
  const fileSize = argv['file-size'];
  if (Array.isArray(fileSize)) throw new BenchOptionError('--file-size given more than once');
  return {
    out: out as string | undefined,
    quick: argv['quick'] === true,
    only: stringsFlag(argv, 'only'),
    seed: numberFlag(argv, 'seed'),
    regions: stringsFlag(argv, 'regions'),
    rate: stringsFlag(argv, 'rate'),
    requests: numberFlag(argv, 'requests'),
    concurrency: numberFlag(argv, 'concurrency'),
    fileSize: fileSize as string | undefined,
    strategies: stringsFlag(argv, 'strategies'),
    probeInterval: numberFlag(argv, 'probe-interval'),
    maxSeconds: numberFlag(argv, 'max-seconds'),
    simOverheadMs: numberFlag(argv, 'sim-overhead-ms'),
    hashRequests: numberFlag(argv, 'hash-requests'),
    hashConcurrency: numberFlag(argv, 'hash-concurrency'),
    replicas: numberFlag(argv, 'replicas'),
    minReplicas: numberFlag(argv, 'min-replicas'),
    maxReplicas: numberFlag(argv, 'max-replicas'),
    hashVariants: stringsFlag(argv, 'hash-variants'),
    kills: numberFlag(argv, 'kills'),
    failoverConcurrency: numberFlag(argv, 'failover-concurrency'),
  };
}

export type Command = { kind: 'print'; text: string } | { kind: 'run'; options: BenchOptions };

export async function parseCommandLine(argv: readonly string[]): Promise<Command> {
  // `pnpm --filter bench start -- --quick` hands the `--` through to the script.
  const args = dropLeadingSeparator(argv);
  let failure: Error | undefined;
  let output = '';
  const parsed = await new Promise<ParsedArgv>((resolve) => {
    buildArgv(args)
      .fail((message, error) => {
        failure = error ?? new BenchOptionError(message);
      })
      .parse([...args], {}, (_error, result, text) => {
        output = text;
        resolve(result as ParsedArgv);
      });
  });
  if (failure !== undefined)
    throw failure instanceof BenchOptionError ? failure : new BenchOptionError(failure.message);
  if (output !== '') return { kind: 'print', text: output };
  return { kind: 'run', options: resolveBenchOptions(toBenchFlags(parsed)) };
}

/** The parameter block printed before anything runs. */
export function describeParameters(options: BenchOptions): string {
  const { routing, hashing, failover, simulator } = options;
  const lines = [
    `lb bench (${options.quick ? 'quick' : 'full'} run) → ${options.outDir}`,
    `experiments: ${options.experiments.join(', ')}; seed ${options.seed}; each run bounded to ${routing.maxSeconds} s`,
  ];
  const has = (name: (typeof options.experiments)[number]) => options.experiments.includes(name);
  if (has('routing') || has('simulator')) {
    lines.push(
      `routing: regions ${routing.regions.map((r) => `${r.name}=${r.machines}×${r.latencyMs}ms`).join(' ')}; rate ${routing.rates === undefined ? 'unthrottled' : [...new Set(routing.rates)].join('/')}`,
      `         ${routing.requests} requests × ${routing.strategies.length} strategies at concurrency ${routing.concurrency}, file ${routing.fileSizeBytes} bytes, probes every ${routing.probeIntervalSeconds} s`,
      `         strategies: ${routing.strategies.join(', ')}`,
    );
  }
  if (has('simulator')) lines.push(`simulator: overhead ${simulator.overheadMs} ms per round trip`);
  if (has('hashing')) {
    lines.push(
      `hashing: ${hashing.requests} keys at concurrency ${hashing.concurrency}; A-1 over ${hashing.replicas} replicas; A-2/A-4 N ${hashing.minReplicas}…${hashing.maxReplicas}`,
      `         variants (hash:vnodes): ${hashing.variants.map((v) => `${v.hash}:${v.vnodes}`).join(' ')}`,
    );
  }
  if (has('failover')) {
    lines.push(
      `A-3: ${failover.replicas} spawned replicas, ${failover.kills} kill(s) at concurrency ${failover.concurrency}`,
    );
  }
  return lines.join('\n');
}

/** Runs the bench; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = await parseCommandLine(argv);
  } catch (error) {
    io.stderr.write(`bench: ${(error as Error).message}\nRun with --help for the flags.\n`);
    return exitCodeFor(error);
  }
  const say = (text: string) => writeLine(io.stdout, text);
  if (command.kind === 'print') {
    say(command.text);
    return EXIT_CODES.ok;
  }
  const { options } = command;
  const started = performance.now();
  const loadAverage = loadavg()[0] ?? 0;
  say(describeParameters(options));
  const reporter = createReporter(io.stderr);
  const previous =
    options.experiments.length < Object.keys(EXPERIMENTS).length
      ? (await readPreviousResults(options.outDir))?.experiments
      : undefined;
  const experiments = await runExperiments(options, reporter, previous ?? {});
  const { outDir, ...recorded } = options;
  const results: EvaluationResults = {
    formatVersion: 1,
    run: {
      generatedAt: new Date().toISOString(),
      mode: options.quick ? 'quick' : 'full',
      arguments: [...argv],
      node: process.versions.node,
      cpus: availableParallelism(),
      loadAverage,
      seconds: (performance.now() - started) / 1000,
      options: recorded,
    },
    experiments,
  };
  const written = await writeEvaluation(outDir, results);
  const failed = options.experiments.filter((name) => experiments[name]?.status !== 'ok');
  say(`\nwrote ${written.files.length} files to ${outDir} in ${results.run.seconds.toFixed(0)} s`);
  for (const name of options.experiments) {
    const outcome = experiments[name];
    const reasons = [outcome?.error, ...(outcome?.problems ?? [])].filter(Boolean).join('; ');
    say(
      `  ${outcome?.status === 'ok' ? 'ok    ' : 'FAILED'} ${name}${reasons === '' ? '' : `: ${reasons}`}`,
    );
  }
  for (const problem of written.problems) say(`  FAILED ${problem}`);
  return failed.length > 0 || written.problems.length > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
}

/** The process entry point: real argv and stdio; Ctrl-C stops every child before exiting. */
export function run(argv: readonly string[] = process.argv.slice(2)): void {
  const io = processIo(['SIGINT']);
  io.stop.addEventListener('abort', () => {
    io.stderr.write('\nbench: interrupted, stopping the lb processes\n');
    void stopTrackedChildren(3000).finally(() => process.exit(EXIT_CODES.interrupted));
  });
  // A second Ctrl-C does not wait for the children.
  io.hurry.addEventListener('abort', () => process.exit(EXIT_CODES.interrupted));
  exitWith('bench', main(argv, io), () => stopTrackedChildren(3000));
}
