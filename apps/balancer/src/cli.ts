/**
 * lb-balancer's command line: flags (balancer-flags.ts) → options (balancer-options.ts), then run
 * the balancer and print what a person needs. This is the only module that prints, reads the
 * environment, waits for stop signals or decides exit codes (EXIT_CODES in errors.ts).
 */
import {
  buildArgv as buildCliArgv,
  type CliIo,
  exitCodeFor as cliExitCodeFor,
  createLogger,
  dropLeadingSeparator,
  exitWith,
  processIo,
  writeLine,
} from '@lb/cli-kit';
import { listStrategies, type StrategyInfo } from '@lb/ranking';
import type { Argv } from 'yargs';
import { type Balancer, createBalancer } from './balancer.js';
import {
  balancerExamples,
  balancerFlags,
  DEFAULT_REPLICAS,
  SAMPLE_ROOT,
  USAGE,
} from './balancer-flags.js';
import {
  type BalancerFlagValues,
  type RunSettings,
  single,
  toBalancerOptions,
} from './balancer-options.js';
import { EXIT_CODES, NoLiveServerError, UsageError } from './errors.js';
import { BALANCER_VERSION } from './package-version.js';
import {
  formatRankingTable,
  type LeftOutRow,
  type RankingRow,
  rankingEvent,
} from './ranking-table.js';

const PROGRAM = 'lb-balancer';

/** @lb/ranking's errors that mean a bad --strategy or --strategy-opt: exit 2 like bad flags. */
const RANKING_EXIT_CODES = {
  LB_RANKING_UNKNOWN_STRATEGY: EXIT_CODES.usage,
  LB_RANKING_INVALID_OPTION: EXIT_CODES.usage,
  LB_RANKING_INVALID_SEED: EXIT_CODES.usage,
} as const;

/** Exit code for an error (see EXIT_CODES in errors.ts). */
export function exitCodeFor(error: unknown): number {
  return cliExitCodeFor(error, RANKING_EXIT_CODES);
}

/** The yargs parser for `argv` (without node and the script). */
export function buildArgv(
  argv: readonly string[],
  strategies: readonly StrategyInfo[] = listStrategies(),
): Argv {
  return buildCliArgv(argv, {
    scriptName: PROGRAM,
    usage: USAGE,
    options: {
      ...balancerFlags,
      strategy: { ...balancerFlags.strategy, choices: strategies.map((info) => info.name) },
    },
    examples: balancerExamples,
    // Positional servers like 127.0.0.1:8081 stay strings.
    parserConfiguration: { 'parse-positional-numbers': false },
    strict: 'options',
    usageError: (message) => new UsageError(message),
  });
}

/** What the command line asks for. */
export type Command =
  | { kind: 'print'; text: string }
  | { kind: 'list-strategies'; strategies: readonly StrategyInfo[] }
  | ({ kind: 'run' } & RunSettings);

/** Parses the flags and reads the config file into balancer options. */
export async function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<Command> {
  const strategies = listStrategies();
  const parser = buildArgv(dropLeadingSeparator(argv), strategies);
  const flags = (await parser.parseAsync()) as BalancerFlagValues;
  if (single('help', flags.help) === true) return { kind: 'print', text: await parser.getHelp() };
  if (single('version', flags.version) === true) return { kind: 'print', text: BALANCER_VERSION };
  if (single('list-strategies', flags['list-strategies']) === true) {
    return { kind: 'list-strategies', strategies };
  }
  return { kind: 'run', ...(await toBalancerOptions(flags, env)) };
}

/** `--list-strategies` output: each strategy, its description and options with defaults. */
export function formatStrategyList(strategies: readonly StrategyInfo[]): string {
  const lines: string[] = [];
  for (const info of strategies) {
    lines.push(`${info.name}${info.hashed ? ' (hashed: routes by request path)' : ''}`);
    lines.push(`  ${info.description}`);
    for (const option of info.options) {
      const choices = option.choices ? ` (one of ${option.choices.join(', ')})` : '';
      lines.push(
        `  --strategy-opt ${option.name}=<${option.type}>  default ${String(option.default)}${choices}`,
      );
      lines.push(`      ${option.description}`);
    }
  }
  return lines.join('\n');
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stopSignal(io: CliIo): Promise<string> {
  return new Promise((resolve) => {
    if (io.stop.aborted) resolve(String(io.stop.reason));
    else io.stop.addEventListener('abort', () => resolve(String(io.stop.reason)), { once: true });
  });
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const say = (text: string) => writeLine(io.stdout, text);
  let command: Command;
  try {
    command = await parseCommandLine(argv, io.env);
  } catch (error) {
    writeLine(io.stderr, `${PROGRAM}: ${describeError(error)}`);
    if (error instanceof UsageError) writeLine(io.stderr, `Run ${PROGRAM} --help for the flags.`);
    return exitCodeFor(error);
  }
  if (command.kind === 'print') {
    say(command.text);
    return EXIT_CODES.ok;
  }
  if (command.kind === 'list-strategies') {
    say(formatStrategyList(command.strategies));
    return EXIT_CODES.ok;
  }
  const { options, embedded, logLevel, json } = command;
  // stdout: text lines for a person, or with --json one JSON object per line for a script.
  const event = (value: object) => say(JSON.stringify(value));
  const printRanking = (ranked: readonly RankingRow[], leftOut: readonly LeftOutRow[]) =>
    json
      ? event(rankingEvent(options.probe.path, ranked, leftOut))
      : say(formatRankingTable(options.probe.path, ranked, leftOut));
  const logger = createLogger({
    name: PROGRAM,
    level: logLevel,
    destination: { fd: 2, sync: true },
  });

  let balancer: Balancer | undefined;
  const stopping = stopSignal(io);
  try {
    if (embedded) {
      if (json) event({ event: 'replicas', count: DEFAULT_REPLICAS, root: SAMPLE_ROOT });
      else
        say(
          `no server configured: starting ${DEFAULT_REPLICAS} lb-server replicas over ${SAMPLE_ROOT}`,
        );
    }
    balancer = await createBalancer(options, { logger });
    const test = balancer.firstTest;
    printRanking(test.ranked, test.leftOut);
    await balancer.listen();
    if (json) {
      event({ event: 'listening', url: balancer.url, adminUrl: balancer.adminUrl ?? null });
    } else {
      say(`listening on ${balancer.url}`);
      if (balancer.adminUrl !== undefined) say(`admin on ${balancer.adminUrl}`);
    }
    if (embedded && !json) {
      say(
        `download through it: curl -L ${balancer.url}${options.probe.path} -o ${options.probe.path.slice(1).split('/').pop() || 'file'}`,
      );
    }
    const signal = await stopping;
    logger.info({ signal }, 'stopping');
    await balancer.close();
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof NoLiveServerError) {
      printRanking(
        [],
        error.failures.map(({ server, reason }) => ({ server, reason })),
      );
    }
    writeLine(io.stderr, `${PROGRAM}: ${describeError(error)}`);
    logger.error({ err: error }, 'balancer failed');
    await balancer?.close().catch(() => undefined);
    return exitCodeFor(error);
  }
}

/** The process entry point: real argv, stdio and signals; exits with the code. */
export function run(argv: readonly string[] = process.argv.slice(2)): void {
  exitWith(PROGRAM, main(argv, processIo()));
}
