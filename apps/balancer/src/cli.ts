/**
 * lb-balancer's command line: flags (defined as data below) → {@link BalancerOptions}, then run the
 * balancer and print what a person needs. This is the only module that prints, reads the
 * environment, installs signal handlers or decides exit codes:
 *
 *   0 stopped cleanly (SIGINT/SIGTERM), or -h/--help, -V/--version, --list-strategies
 *   1 unexpected internal error
 *   2 bad flags, bad config file, bad strategy option
 *   3 no server passed the first performance test (and --readmit was not given)
 *   4 the client or admin port could not be bound
 *   5 a managed lb-server replica could not be started
 */
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { listStrategies, type StrategyInfo } from '@lb/ranking';
import pino, { type Logger } from 'pino';
import yargs, { type Options } from 'yargs';
import { type Balancer, createBalancer } from './balancer.js';
import type { BalancerOptions } from './balancer-options.js';
import { mergeServerLists, parseServerArguments, readConfigFile } from './config-file.js';
import { NoLiveServerError, UsageError } from './errors.js';
import { BALANCER_VERSION } from './package-version.js';
import {
  formatRankingTable,
  type LeftOutRow,
  type RankingRow,
  rankingEvent,
} from './ranking-table.js';

/** The sample folder served by the replicas the balancer starts when no server is configured. */
export const SAMPLE_ROOT: string = fileURLToPath(new URL('../sample/', import.meta.url));
export const DEFAULT_REPLICAS = 3;
export const TOKEN_ENV = 'LB_BALANCER_ADMIN_TOKEN';
/** pino's levels, the same list and default wording as lb-server's and lb-client's `--log-level`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const DEFAULT_LOG_LEVEL = 'info';

/** Every flag, as data: `--help` is generated from it and docs/apps/balancer.md mirrors it. */
export const balancerFlags = {
  config: {
    alias: 'c',
    type: 'string',
    describe: 'Server list file: one "host:port [weight=N] [region=NAME]" per line, # comments',
  },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on for clients' },
  port: {
    alias: 'p',
    type: 'number',
    default: 8080,
    describe: 'Port for clients (0: any free port)',
  },
  strategy: {
    alias: 's',
    type: 'string',
    default: 'rank-weighted',
    describe: 'How to choose a server (see --list-strategies)',
  },
  // Not `array: true`: that would swallow the positional servers after it. Repeats still collect.
  'strategy-opt': {
    type: 'string',
    describe: 'key=value option for the strategy (repeatable)',
  },
  'list-strategies': {
    type: 'boolean',
    describe: 'Print the strategies with their options and exit',
  },
  seed: { type: 'number', describe: "Seed of the strategy's random source (reproducible picks)" },
  'probe-path': {
    type: 'string',
    default: '/test.jpg',
    describe: 'Test file fetched from every server by the performance test',
  },
  'probe-interval': {
    type: 'number',
    default: 30,
    describe: 'Seconds between performance tests while serving',
  },
  'probe-timeout': { type: 'number', default: 10, describe: 'Seconds one test transfer may take' },
  'probe-samples': {
    type: 'number',
    default: 1,
    describe: 'Transfers per server per test; the median is used',
  },
  'probe-concurrency': { type: 'number', default: 8, describe: 'Servers tested at the same time' },
  readmit: {
    type: 'boolean',
    default: false,
    describe: 'Keep testing failed servers and readmit them after --rise good tests',
  },
  rise: { type: 'number', default: 2, describe: 'Good tests in a row that readmit a server' },
  fall: { type: 'number', default: 1, describe: 'Failed tests in a row that take a server out' },
  'idle-timeout': {
    type: 'number',
    default: 30,
    describe: 'Seconds an idle keep-alive client connection is kept open',
  },
  'request-timeout': {
    type: 'number',
    default: 10,
    describe: 'Seconds a request may take to arrive once it has started (then 408)',
  },
  'admin-port': {
    type: 'number',
    describe: 'Port of the admin API and status page (off unless given)',
  },
  'admin-host': {
    type: 'string',
    default: '127.0.0.1',
    describe: 'Address of the admin API; not loopback requires --admin-token',
  },
  'admin-token': {
    type: 'string',
    describe: `Bearer token for the admin API (or env ${TOKEN_ENV})`,
  },
  spawn: { type: 'number', describe: 'Start N lb-server replicas and balance over them' },
  root: {
    type: 'string',
    describe: 'Directory the --spawn replicas serve (default: the sample folder)',
  },
  json: {
    type: 'boolean',
    default: false,
    describe:
      'Print one JSON object per line (ranking, listening events) instead of the text lines',
  },
  'log-level': {
    type: 'string',
    choices: LOG_LEVELS,
    describe: `Level of the JSON logs on stderr (default ${DEFAULT_LOG_LEVEL})`,
  },
  help: { alias: 'h', type: 'boolean', describe: 'Show this help' },
  version: { alias: 'V', type: 'boolean', describe: 'Show the version' },
} as const satisfies Record<string, Options>;

const USAGE = `Usage:
  lb-balancer [options] host:port ...
  lb-balancer [options] --config FILE [host:port ...]
  lb-balancer [options] --spawn N [--root DIR] [host:port ...]
  lb-balancer [options]
  lb-balancer --list-strategies
  lb-balancer -h | --help
  lb-balancer -V | --version

Measures every server with a timed transfer, then answers each client with a 301 to a server chosen
by --strategy. With no server configured it starts 3 lb-server replicas over a sample folder.
Durations are seconds (decimals allowed).`;

/**
 * The `--help` examples, as data: [what it does, command]. Each command is a real one (a test
 * parses every one, from apps/balancer where balancer.conf lives); the help prints the meaning as
 * a shell comment above it, so a long command keeps the whole width and can be copied as it is.
 */
export const balancerExamples: ReadonlyArray<readonly [string, string]> = [
  ['No server given: 3 lb-server replicas over the bundled sample folder', 'lb-balancer'],
  [
    'Balance over two lb-servers; clients connect to 127.0.0.1:8080',
    'lb-balancer 127.0.0.1:8081 127.0.0.1:8082',
  ],
  [
    'Servers from a file; admin API and status page on http://127.0.0.1:9090/',
    'lb-balancer --config balancer.conf --admin-port 9090',
  ],
  [
    'Start 4 lb-server replicas over ./public and balance over them',
    'lb-balancer --spawn 4 --root ./public',
  ],
  [
    'Route by request path: each file keeps its server',
    'lb-balancer --strategy consistent-hash 127.0.0.1:8081 127.0.0.1:8082 127.0.0.1:8083',
  ],
  [
    'Serve a network, test the servers every 10 s, JSON lines on stdout',
    'lb-balancer --host 0.0.0.0 --port 80 --probe-interval 10 --json 127.0.0.1:8081',
  ],
];

/** The yargs parser for `argv` (without node and the script). */
export function buildArgv(
  argv: readonly string[],
  strategies: readonly StrategyInfo[] = listStrategies(),
) {
  const flags = {
    ...balancerFlags,
    strategy: { ...balancerFlags.strategy, choices: strategies.map((info) => info.name) },
  };
  return (
    yargs([...argv])
      .scriptName('lb-balancer')
      .usage(USAGE)
      // Built-in help and version off first, so -h/-V are our own options (as in lb-server and
      // lb-client), printed by main() on stdout.
      .help(false)
      .version(false)
      .options(flags)
      .example(
        balancerExamples.flatMap(([meaning, command]) => [
          [`# ${meaning}`, ''],
          [command, ''],
        ]),
      )
      .parserConfiguration({ 'parse-positional-numbers': false })
      .strictOptions()
      .exitProcess(false)
      .wrap(100)
  );
}

type ParsedFlags = { [K in keyof typeof balancerFlags]?: unknown } & { _: (string | number)[] };

/** What the command line asks for. */
export type Command =
  | { kind: 'print'; text: string }
  | { kind: 'list-strategies'; strategies: readonly StrategyInfo[] }
  | { kind: 'run'; options: BalancerOptions; embedded: boolean; logLevel: string; json: boolean };

function single(name: string, value: unknown): unknown {
  if (Array.isArray(value)) throw new UsageError(`--${name} given more than once`);
  return value;
}

function integerFlag(name: string, value: unknown, min: number, max: number): number {
  const number = single(name, value);
  if (typeof number !== 'number' || Number.isNaN(number))
    throw new UsageError(`--${name}: not a number`);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${number}`);
  }
  return number;
}

function secondsFlag(name: string, value: unknown, max: number): number {
  const number = single(name, value);
  if (typeof number !== 'number' || Number.isNaN(number))
    throw new UsageError(`--${name}: not a number`);
  if (!(number > 0) || number > max) {
    throw new UsageError(
      `--${name} must be a number of seconds above 0, at most ${max}, got ${number}`,
    );
  }
  return number;
}

function stringFlag(name: string, value: unknown): string | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || text === '') throw new UsageError(`--${name} needs a value`);
  return text;
}

/** 127.0.0.0/8, ::1 and localhost: the addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

/** RFC 6750 b64token, and long enough that guessing is hopeless. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MIN_TOKEN_LENGTH = 16;

function checkToken(token: string, from: string): string {
  if (!TOKEN.test(token)) {
    throw new UsageError(`${from} may hold only letters, digits and - . _ ~ + / (then = padding)`);
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`${from} must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  return token;
}

function strategyOptions(values: unknown): Record<string, string> {
  const options: Record<string, string> = Object.create(null);
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  for (const item of list) {
    const text = String(item);
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`--strategy-opt expects key=value, got "${text}"`);
    const key = text.slice(0, equals);
    if (Object.hasOwn(options, key))
      throw new UsageError(`--strategy-opt ${key} given more than once`);
    options[key] = text.slice(equals + 1);
  }
  return { ...options };
}

function probePath(value: unknown): string {
  const path = stringFlag('probe-path', value) ?? '/test.jpg';
  if (!/^\/[\x21-\x7e]*$/.test(path) || path.includes('#')) {
    throw new UsageError(
      `--probe-path must be a path starting with "/" (visible ASCII, no "#"), got "${path}"`,
    );
  }
  return path;
}

/** Parses the flags and reads the config file into balancer options. */
export async function parseCommandLine(
  argvWithSeparator: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<Command> {
  // `pnpm start -- --port 0` hands the `--` on; to yargs it would turn every flag into a server.
  const argv = argvWithSeparator[0] === '--' ? argvWithSeparator.slice(1) : argvWithSeparator;
  const strategies = listStrategies();
  let failure: Error | undefined;
  const parser = buildArgv(argv, strategies).fail((message, error) => {
    failure = error ?? new UsageError(message);
  });
  const flags = (await parser.parseAsync()) as ParsedFlags;
  if (failure !== undefined)
    throw failure instanceof UsageError ? failure : new UsageError(failure.message);
  if (single('help', flags.help) === true) return { kind: 'print', text: await parser.getHelp() };
  if (single('version', flags.version) === true) return { kind: 'print', text: BALANCER_VERSION };
  if (single('list-strategies', flags['list-strategies']) === true) {
    return { kind: 'list-strategies', strategies };
  }

  const fromFile =
    flags.config === undefined
      ? []
      : await readConfigFile(stringFlag('config', flags.config) ?? '');
  const positional = flags._.map(String);
  const servers = mergeServerLists(fromFile, parseServerArguments(positional));

  const adminPort =
    flags['admin-port'] === undefined
      ? undefined
      : integerFlag('admin-port', flags['admin-port'], 0, 65_535);
  const adminHost = stringFlag('admin-host', flags['admin-host']) ?? '127.0.0.1';
  const tokenFlag = stringFlag('admin-token', flags['admin-token']);
  const tokenEnv = env[TOKEN_ENV];
  const token =
    tokenFlag !== undefined
      ? checkToken(tokenFlag, '--admin-token')
      : tokenEnv !== undefined && tokenEnv !== ''
        ? checkToken(tokenEnv, TOKEN_ENV)
        : undefined;
  if (adminPort === undefined) {
    if (tokenFlag !== undefined) throw new UsageError('--admin-token needs --admin-port');
    if (adminHost !== '127.0.0.1') throw new UsageError('--admin-host needs --admin-port');
  } else if (!isLoopbackHost(adminHost) && token === undefined) {
    throw new UsageError(
      `refusing to serve the admin API on ${adminHost} without a token: give --admin-token (or ${TOKEN_ENV}) or a loopback --admin-host`,
    );
  }

  const spawn = flags.spawn === undefined ? undefined : integerFlag('spawn', flags.spawn, 1, 64);
  const root = stringFlag('root', flags.root);
  if (root !== undefined && spawn === undefined) throw new UsageError('--root needs --spawn');
  const embedded = servers.length === 0 && spawn === undefined;

  const seedValue = single('seed', flags.seed);
  if (
    seedValue !== undefined &&
    (typeof seedValue !== 'number' || !Number.isSafeInteger(seedValue))
  ) {
    throw new UsageError(
      `--seed must be an integer, got ${Number.isNaN(seedValue) ? 'not a number' : String(seedValue)}`,
    );
  }

  const options: BalancerOptions = {
    servers,
    host: stringFlag('host', flags.host) ?? '127.0.0.1',
    port: integerFlag('port', flags.port, 0, 65_535),
    strategy: String(single('strategy', flags.strategy)),
    strategyOptions: strategyOptions(flags['strategy-opt']),
    seed: seedValue as number | undefined,
    probe: {
      path: probePath(flags['probe-path']),
      intervalMs: secondsFlag('probe-interval', flags['probe-interval'], 86_400) * 1000,
      timeoutMs: secondsFlag('probe-timeout', flags['probe-timeout'], 3600) * 1000,
      samples: integerFlag('probe-samples', flags['probe-samples'], 1, 15),
      concurrency: integerFlag('probe-concurrency', flags['probe-concurrency'], 1, 256),
      rise: integerFlag('rise', flags.rise, 1, 100),
      fall: integerFlag('fall', flags.fall, 1, 100),
      readmit: single('readmit', flags.readmit) === true,
    },
    idleTimeoutMs: secondsFlag('idle-timeout', flags['idle-timeout'], 86_400) * 1000,
    requestTimeoutMs: secondsFlag('request-timeout', flags['request-timeout'], 3600) * 1000,
    admin: adminPort === undefined ? undefined : { host: adminHost, port: adminPort, token },
    replicas:
      spawn !== undefined
        ? { count: spawn, root: root ?? SAMPLE_ROOT }
        : embedded
          ? { count: DEFAULT_REPLICAS, root: SAMPLE_ROOT }
          : undefined,
  };
  const logLevel = String(single('log-level', flags['log-level']) ?? DEFAULT_LOG_LEVEL);
  const json = single('json', flags.json) === true;
  return { kind: 'run', options, embedded, logLevel, json };
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

/** Exit code for an error, by its `code` (see the module comment). */
export function exitCodeFor(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'LBB_USAGE':
    case 'LBB_CONFIG':
    case 'LBB_CONFIG_UNREADABLE':
    case 'LB_RANKING_UNKNOWN_STRATEGY':
    case 'LB_RANKING_INVALID_OPTION':
    case 'LB_RANKING_INVALID_SEED':
      return 2;
    case 'LBB_NO_LIVE_SERVER':
      return 3;
    case 'LBB_LISTEN':
      return 4;
    case 'LBB_REPLICA_START':
      return 5;
    default:
      return 1;
  }
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
  /** Where pino writes (stderr by default). */
  logDestination?: number;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  stopSignal: waitForSignal,
};

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let command: Command;
  try {
    command = await parseCommandLine(argv, io.env);
  } catch (error) {
    io.stderr(`lb-balancer: ${describeError(error)}`);
    if ((error as { code?: unknown }).code === 'LBB_USAGE')
      io.stderr('Run lb-balancer --help for the flags.');
    return exitCodeFor(error);
  }
  if (command.kind === 'print') {
    io.stdout(command.text);
    return 0;
  }
  if (command.kind === 'list-strategies') {
    io.stdout(formatStrategyList(command.strategies));
    return 0;
  }
  const { options, embedded, logLevel, json } = command;
  // stdout: text lines for a person, or with --json one JSON object per line for a script.
  const event = (value: object) => io.stdout(JSON.stringify(value));
  const printRanking = (ranked: readonly RankingRow[], leftOut: readonly LeftOutRow[]) =>
    json
      ? event(rankingEvent(options.probe.path, ranked, leftOut))
      : io.stdout(formatRankingTable(options.probe.path, ranked, leftOut));
  const logger: Logger = pino(
    { name: 'lb-balancer', level: logLevel },
    pino.destination({ fd: io.logDestination ?? 2, sync: true }),
  );

  let balancer: Balancer | undefined;
  const stopping = io.stopSignal();
  try {
    if (embedded) {
      if (json) event({ event: 'replicas', count: DEFAULT_REPLICAS, root: SAMPLE_ROOT });
      else
        io.stdout(
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
      io.stdout(`listening on ${balancer.url}`);
      if (balancer.adminUrl !== undefined) io.stdout(`admin on ${balancer.adminUrl}`);
    }
    if (embedded && !json) {
      io.stdout(
        `download through it: curl -L ${balancer.url}${options.probe.path} -o ${options.probe.path.slice(1).split('/').pop() || 'file'}`,
      );
    }
    const signal = await stopping;
    logger.info({ signal }, 'stopping');
    await balancer.close();
    return 0;
  } catch (error) {
    if (error instanceof NoLiveServerError) {
      printRanking(
        [],
        error.failures.map(({ server, reason }) => ({ server, reason })),
      );
    }
    io.stderr(`lb-balancer: ${describeError(error)}`);
    logger.error({ err: error }, 'balancer failed');
    await balancer?.close().catch(() => undefined);
    return exitCodeFor(error);
  }
}

/** The process entry point: real argv, stdio and signals; exits with the code. */
export function run(argv: readonly string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `lb-balancer: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
