/**
 * The lb-client command line: flag definitions (as data), parsing with yargs, and dispatch to the
 * three ways of running (one URL, several mirror URLs, -a/-p servers). This is the only module that
 * reads the process's argv, installs signal handlers, creates the logger and turns errors into
 * exit codes (EXIT_CODES in errors.ts; documented in docs/apps/client.md).
 */
import {
  buildArgv as buildCliArgv,
  type CliIo,
  createLogger,
  errorLine,
  exitCodeFor,
  LOG_LEVELS,
  processIo,
} from '@lb/cli-kit';
import { AUTO_CONNECTIONS } from '@lb/download';
import type { Argv, Options } from 'yargs';
import {
  type ClientConfig,
  DEFAULTS,
  MAX_CONNECTIONS_PER_SERVER,
  type RawFlags,
  toClientConfig,
} from './client-config.js';
import { ClientAppError, EXIT_CODES, interruption, toClientError, UsageError } from './errors.js';
import { createGcPacer } from './gc-pacer.js';
import { jsonLine } from './json-events.js';
import { mirrorsDestination } from './output-path.js';
import { CLIENT_VERSION } from './request-headers.js';
import type { RunContext } from './run-context.js';
import { runMirrors } from './run-mirrors.js';
import { runServers } from './run-servers.js';
import { runSingleUrl } from './run-single-url.js';

/** Every flag of lb-client, as yargs option definitions (documented in docs/apps/client.md). */
export const clientOptionDefinitions = {
  output: {
    alias: 'o',
    type: 'string',
    describe:
      'Where to save: a file or a directory (URL mode; default: the file name in the current directory), ' +
      'the output directory (-a/-p mode)',
  },
  resume: {
    alias: 'r',
    type: 'boolean',
    describe: 'Resume the partial download from its manifest (multi-source downloads)',
  },
  interval: {
    alias: 'i',
    type: 'string',
    describe: `Seconds between metrics reports (default ${DEFAULTS.intervalSeconds}; decimals allowed)`,
  },
  address: { alias: 'a', type: 'string', describe: "The servers' IP address (or host name)" },
  port: {
    alias: 'p',
    type: 'string',
    array: true,
    describe: "The servers' ports: -p 8001 8002 ...",
  },
  file: {
    type: 'string',
    describe: 'With -a/-p: the file to fetch, when the servers serve several',
  },
  multi: {
    type: 'boolean',
    default: false,
    describe: 'URL mode: continue over the mirrors a redirect lists in Link: rel=duplicate',
  },
  wait: {
    type: 'string',
    describe: `Seconds to keep retrying when no server answers (default ${DEFAULTS.waitSeconds})`,
  },
  connections: {
    type: 'string',
    describe:
      `Keep-alive connections per server: a number (at most ${MAX_CONNECTIONS_PER_SERVER}), or auto (default): ` +
      `start with 1 and double while doubling raises that server's speed, up to ${AUTO_CONNECTIONS.max}`,
  },
  json: {
    type: 'boolean',
    default: false,
    describe: 'Print one JSON event per line (metrics every interval) instead of the text lines',
  },
  progress: {
    type: 'boolean',
    describe: 'Draw progress bars (default: when stdout is a terminal; --no-progress to disable)',
  },
  'log-level': {
    type: 'string',
    choices: LOG_LEVELS,
    describe: `Level of the JSON logs on stderr (default ${DEFAULTS.logLevel})`,
  },
  'connect-timeout': {
    type: 'string',
    describe: `Seconds to wait for a TCP connection (default ${DEFAULTS.connectTimeoutSeconds})`,
  },
  'stall-timeout': {
    type: 'string',
    describe: `Seconds without a byte before a server counts as stalled (default ${DEFAULTS.stallSeconds})`,
  },
  'checkpoint-interval': {
    type: 'string',
    describe: `Seconds between saves of the resume manifest (default ${DEFAULTS.checkpointSeconds})`,
  },
  help: { alias: 'h', type: 'boolean', describe: 'Show this help' },
  version: { alias: 'V', type: 'boolean', describe: 'Show the version' },
} as const satisfies Record<string, Options>;

const USAGE = `Usage:
  lb-client URL [-o FILE_OR_DIR] [--multi]
  lb-client URL1 URL2 ... [-o FILE_OR_DIR] [-r]       (mirrors of one file)
  lb-client [-r] -i <metric_interval> -o <output_location> -a <server_ip_address> -p <port1> ... <portn>`;

/**
 * The `--help` examples, as data: [what it does, command], printed like lb-server's and
 * lb-balancer's: the meaning as a shell comment above a command that can be copied as it is.
 */
export const clientExamples: ReadonlyArray<readonly [string, string]> = [
  [
    'Through the balancer: print the 301, follow it, save ./video.mp4',
    'lb-client http://127.0.0.1:8080/video.mp4',
  ],
  [
    'Follow the 301, then download from every mirror its Link header lists',
    'lb-client --multi -o downloads/ http://127.0.0.1:8080/video.mp4',
  ],
  [
    'Two mirrors of one file (any servers with Range, e.g. nginx), at once',
    'lb-client -o downloads/ http://10.0.0.1/video.mp4 http://10.0.0.2/video.mp4',
  ],
  [
    'All four virtual servers at once, metrics every 2 s',
    'lb-client -i 2 -o downloads -a 127.0.0.1 -p 8001 8002 8003 8004',
  ],
  [
    'Resume that download after a crash or Ctrl-C; JSON events for scripts',
    'lb-client -r -i 2 -o downloads -a 127.0.0.1 -p 8001 8002 8003 8004 --json',
  ],
];

/** The yargs parser for `argv` (without node and the script), strict, never exiting the process. */
export function buildArgv(argv: readonly string[]): Argv {
  return buildCliArgv(argv, {
    scriptName: 'lb-client',
    usage: USAGE,
    options: clientOptionDefinitions,
    examples: clientExamples,
    strict: 'options',
    parserConfiguration: { 'duplicate-arguments-array': false },
    usageError: (message) => new UsageError(message),
  });
}

export type { CliIo };

type ParsedFlags = RawFlags & { _: Array<string | number>; help?: boolean; version?: boolean };

/** Parses `argv` into a configuration; null when --help/--version was printed. Throws UsageError. */
export async function parseCommandLine(
  argv: readonly string[],
  io: Pick<CliIo, 'stdout'>,
): Promise<ClientConfig | null> {
  const parser = buildArgv(argv);
  const flags = (await parser.parseAsync()) as unknown as ParsedFlags;
  if (flags.help) {
    io.stdout.write(`${await parser.getHelp()}\n`);
    return null;
  }
  if (flags.version) {
    io.stdout.write(`${CLIENT_VERSION}\n`);
    return null;
  }
  return toClientConfig({ ...flags, urls: flags._ });
}

async function run(config: ClientConfig, context: RunContext): Promise<void> {
  switch (config.mode) {
    case 'url':
      await runSingleUrl(context, config);
      return;
    case 'mirrors':
      await runMirrors(
        context,
        config,
        config.urls,
        await mirrorsDestination(config.output, context.cwd),
      );
      return;
    case 'servers':
      await runServers(context, config);
      return;
  }
}

/** Runs lb-client; resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let json = false;
  try {
    const config = await parseCommandLine(argv, io);
    if (config === null) return EXIT_CODES.ok;
    json = config.json;
    const logger = createLogger({ level: config.logLevel, destination: io.stderr });
    await run(config, {
      stdout: io.stdout,
      stderr: io.stderr,
      cwd: io.cwd,
      signal: io.stop,
      logger,
      onBytesReceived: createGcPacer(),
    });
    return EXIT_CODES.ok;
  } catch (caught) {
    // A failure caused by the abort itself (a request cut short) is the interruption.
    const error =
      io.stop.aborted && !(caught instanceof UsageError)
        ? interruption(io.stop)
        : toClientError(caught);
    io.stderr.write(`${errorLine('lb-client', error)}\n`);
    if (json && error instanceof ClientAppError) {
      io.stdout.write(
        jsonLine({
          event: 'error',
          code: error.code,
          exitCode: error.exitCode,
          message: error.message,
        }),
      );
    }
    return exitCodeFor(error);
  }
}

/** The process entry point: real argv, stdio and signals; exits with the code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const io = processIo();
  // A second signal means "now": the first one is already saving the manifest.
  io.hurry.addEventListener('abort', () => process.exit(interruption(io.stop).exitCode));
  process.exit(await runCli(argv, io));
}
