/**
 * The lb-server command line: flag definitions (as data), parsing with yargs, and the two modes.
 * This is the only module that reads the process's argv, prints, waits for stop signals and
 * turns errors into exit codes (see EXIT_CODES in errors.ts).
 */
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  buildArgv as buildCliArgv,
  type CliIo,
  createLogger,
  dropLeadingSeparator,
  errorLine,
  exitCodeFor,
  fdDestination,
  LOG_LEVELS,
  processIo,
} from '@lb/cli-kit';
import type { Logger } from 'pino';
import type { Argv, Options } from 'yargs';
import { parseConsoleCommand } from './console-commands.js';
import { EXIT_CODES, UsageError } from './errors.js';
import { FileServer } from './file-server.js';
import { SERVER_VERSION } from './package-version.js';
import {
  type AidsConfig,
  DEFAULTS,
  type RawFlags,
  type ServerConfig,
  type SingleServerConfig,
  toServerConfig,
  type VirtualServersConfig,
} from './server-config.js';
import {
  formatListeningLine,
  formatStatusBlock,
  jsonLine,
  listeningEvent,
  statusEvent,
} from './status-report.js';
import { VirtualServers } from './virtual-servers.js';

export const DEFAULT_HOST = '127.0.0.1';

/** Every flag of lb-server, as yargs option definitions (documented in docs/apps/server.md). */
export const serverOptionDefinitions = {
  root: { type: 'string', describe: 'Directory to serve (single server; default: cwd)' },
  port: {
    alias: 'p',
    type: 'string',
    array: true,
    describe: 'Port (single server, default 0 = any free port), or n ports for n virtual servers',
  },
  host: { type: 'string', default: DEFAULT_HOST, describe: 'Address to listen on' },
  id: { type: 'string', describe: 'Server id shown by /home (single server; default 1)' },
  'status-interval': {
    alias: 'i',
    type: 'string',
    describe: 'Virtual servers: seconds between status reports',
  },
  'num-servers': { alias: 'n', type: 'string', describe: 'Virtual servers: how many' },
  file: { alias: 'f', type: 'string', describe: 'Virtual servers: the file each one serves' },
  rate: {
    type: 'string',
    array: true,
    describe:
      'Testing aid: total body rate in bytes/s, e.g. 4M (binary K/M/G); one or one per server',
  },
  latency: {
    type: 'string',
    array: true,
    describe:
      'Testing aid: delay before each response head, in MILLISECONDS (the issue fixes this unit; every other duration is seconds)',
  },
  'fail-after': {
    type: 'string',
    array: true,
    describe: 'Testing aid: cut the connection after this many body bytes of each file response',
  },
  corrupt: {
    type: 'string',
    array: true,
    describe:
      'Testing aid: flip bytes of file bodies (virtual servers: optionally which, e.g. 2 4)',
  },
  index: {
    type: 'boolean',
    default: true,
    describe: 'List the served files on GET / (--no-index turns it off)',
  },
  json: {
    type: 'boolean',
    default: false,
    describe: 'Print one JSON object per line (listening, status events) instead of the text lines',
  },
  'log-level': {
    type: 'string',
    choices: LOG_LEVELS,
    describe: `Level of the JSON logs on stderr (default ${DEFAULTS.logLevel}; ${DEFAULTS.virtualLogLevel} for virtual servers)`,
  },
  'header-timeout': {
    type: 'string',
    describe: `Seconds to receive a request head once it has started, then 408 (default ${DEFAULTS.headerTimeoutSeconds}; decimals allowed)`,
  },
  'idle-timeout': {
    type: 'string',
    describe: `Seconds an idle keep-alive connection stays open (default ${DEFAULTS.idleTimeoutSeconds}; decimals allowed)`,
  },
  'send-timeout': {
    type: 'string',
    describe: `Seconds a client may stop reading before it is dropped (default ${DEFAULTS.sendTimeoutSeconds}; decimals allowed)`,
  },
  'max-connections': {
    type: 'string',
    describe: `Connections per server; more are closed as soon as they are accepted (default ${DEFAULTS.maxConnections})`,
  },
  'shutdown-grace': {
    type: 'string',
    describe: `On SIGINT/SIGTERM, seconds responses in flight may take to finish (default ${DEFAULTS.shutdownGraceSeconds}; decimals allowed)`,
  },
  help: { alias: 'h', type: 'boolean', describe: 'Show this help' },
  version: { alias: 'V', type: 'boolean', describe: 'Show the version' },
} as const satisfies Record<string, Options>;

const USAGE = `Usage:
  lb-server [--root DIR] [--port N] [--host H] [--id ID] [options]
  lb-server -i <status_interval> -n <num_servers> -f <file_location> -p <port1> ... <portn> [options]
  lb-server -h | --help
  lb-server -V | --version`;

/**
 * The `--help` examples, as data: [what it does, command]. Each command is a real one (a test
 * parses every one); the help prints the meaning as a shell comment above it, so a long command
 * keeps the whole width and can be copied as it is.
 */
export const serverExamples: ReadonlyArray<readonly [string, string]> = [
  ['One server for ./public on 127.0.0.1:8080', 'lb-server --root ./public --port 8080'],
  [
    'Serve a network; GET /home answers "Hello from Server: eu-1"',
    'lb-server --root /srv/mirror --host 0.0.0.0 --port 80 --id eu-1',
  ],
  [
    'Four virtual servers at 1, 2, 4 and 8 MiB/s, status every 5 s; type E2, S2, q on stdin',
    'lb-server -i 5 -n 4 -f ./big.iso -p 8001 8002 8003 8004 --rate 1M 2M 4M 8M',
  ],
  [
    'Two virtual servers 50 ms and 200 ms away (--latency is ms), free ports, JSON lines',
    'lb-server -i 1 -n 2 -f ./big.iso -p 0 0 --latency 50 200 --json',
  ],
  [
    'Every other duration is seconds, decimals allowed',
    'lb-server --root ./public --idle-timeout 2.5 --shutdown-grace 0.5',
  ],
];

/**
 * The yargs parser for `argv` (without node and the script), strict, never exiting the process.
 * A leading `--` is dropped: `pnpm start -- --root x` passes it through literally.
 */
export function buildArgv(argv: readonly string[]): Argv {
  return buildCliArgv(dropLeadingSeparator(argv), {
    scriptName: 'lb-server',
    usage: USAGE,
    options: serverOptionDefinitions,
    examples: serverExamples,
    strict: 'all',
    parserConfiguration: { 'duplicate-arguments-array': false },
    usageError: (message) => new UsageError(message),
  });
}

/** `listener(false)` on the first stop signal, `listener(true)` on the second. */
function onStopSignal(io: CliIo, listener: (again: boolean) => void): void {
  io.stop.addEventListener('abort', () => listener(false), { once: true });
  io.hurry.addEventListener('abort', () => listener(true), { once: true });
}

/** Parses `argv` into a configuration; null when --help/--version was printed. Throws UsageError. */
export async function parseCommandLine(
  argv: readonly string[],
  io: Pick<CliIo, 'stdout' | 'cwd'>,
): Promise<ServerConfig | null> {
  const parser = buildArgv(argv);
  const flags = (await parser.parseAsync()) as unknown as RawFlags & {
    help?: boolean;
    version?: boolean;
    _: Array<string | number>;
  };
  // strict() catches stray words, but not those after a `--`.
  if (flags._.length > 0) throw new UsageError(`unexpected argument "${flags._[0]}"`);
  if (flags.help) {
    io.stdout.write(`${await parser.getHelp()}\n`);
    return null;
  }
  if (flags.version) {
    io.stdout.write(`${SERVER_VERSION}\n`);
    return null;
  }
  return toServerConfig(flags, io.cwd);
}

/** Runs lb-server until it is told to stop; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const config = await parseCommandLine(argv, io);
    if (config === null) return EXIT_CODES.ok;
    // Asynchronous writes keep logging off the request path; flushed before the process exits.
    const destination = fdDestination(2, false);
    const logger = createLogger({ level: config.logLevel, destination });
    try {
      if (config.mode === 'single') await runSingleServer(config, io, logger);
      else await runVirtualServers(config, io, logger);
    } finally {
      try {
        destination.flushSync();
      } catch {
        // Nothing buffered, or stderr is gone: nothing more to do.
      }
    }
    return EXIT_CODES.ok;
  } catch (error) {
    io.stderr.write(`${errorLine('lb-server', error)}\n`);
    return exitCodeFor(error);
  }
}

function serverOptionsFrom(config: ServerConfig, aids: AidsConfig) {
  return {
    directoryIndex: config.directoryIndex,
    rateBytesPerSecond: aids.rateBytesPerSecond,
    latencyMs: aids.latencyMs,
    failAfterBytes: aids.failAfterBytes,
    corrupt: aids.corrupt,
    headerTimeoutMs: config.headerTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    sendTimeoutMs: config.sendTimeoutMs,
    maxConnections: config.maxConnections,
  };
}

async function runSingleServer(config: SingleServerConfig, io: CliIo, logger: Logger) {
  const server = await FileServer.create({
    ...serverOptionsFrom(config, config.aids),
    root: config.root,
    serverId: config.id,
    logger: logger.child({ server: config.id }),
  });
  let address: Awaited<ReturnType<FileServer['listen']>>;
  try {
    address = await server.listen(config.host, config.port);
  } catch (error) {
    await server.close();
    throw error;
  }
  io.stdout.write(
    config.json
      ? jsonLine(listeningEvent(address.host, address.port))
      : `${formatListeningLine(address.host, address.port)}\n`,
  );
  await new Promise<void>((resolve) => {
    onStopSignal(io, (again) => {
      if (again) {
        server.crash();
        resolve();
        return;
      }
      server.shutdown(config.shutdownGraceMs).then(resolve);
    });
  });
  await server.close();
}

async function runVirtualServers(config: VirtualServersConfig, io: CliIo, logger: Logger) {
  const servers = await VirtualServers.start({
    file: config.file,
    host: config.host,
    ports: config.ports,
    servers: config.aids.map((aids) => serverOptionsFrom(config, aids)),
    loggerFor: (number) => logger.child({ server: String(number) }),
  });
  // Whatever happens from here, the copies must not outlive the process.
  const removeCopies = () => rmSync(servers.directory, { recursive: true, force: true });
  process.once('exit', removeCopies);
  const print = (text: string) => io.stdout.write(text);
  // The answers to console commands: a sentence, or with --json the sentence in a `reply` event.
  const reply = (message: string) =>
    print(config.json ? jsonLine({ event: 'reply', message }) : `${message}\n`);
  const printStatus = () =>
    print(
      config.json
        ? jsonLine(statusEvent(servers.statuses()))
        : formatStatusBlock(servers.statuses()),
    );
  for (const status of servers.statuses()) {
    print(
      config.json
        ? jsonLine(listeningEvent(config.host, status.port, status.number))
        : `${formatListeningLine(config.host, status.port)}\n`,
    );
  }
  printStatus();
  const timer = setInterval(printStatus, config.statusIntervalMs);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (graceMs: number) => {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      lines.close();
      servers.shutdown(graceMs).then(resolve, resolve);
    };
    // terminal: false keeps a TTY in cooked mode, so Ctrl-C stays a real SIGINT.
    const lines = createInterface({ input: io.stdin, terminal: false });
    // A closed or unreadable stdin just means nobody types commands: the servers keep running.
    io.stdin.on('error', () => {});
    lines.on('line', (line) => {
      const command = parseConsoleCommand(line, servers.count);
      switch (command.kind) {
        case 'empty':
          return;
        case 'invalid':
          reply(command.message);
          return;
        case 'quit':
          reply('Quitting.');
          stop(config.shutdownGraceMs);
          return;
        case 'shutdown':
          reply(
            servers.kill(command.server)
              ? `Server ${command.server} shut down.`
              : `Server ${command.server} is already dead.`,
          );
          return;
        case 'start':
          servers.restart(command.server).then(
            (address) =>
              reply(
                address === null
                  ? `Server ${command.server} is already alive.`
                  : `Server ${command.server} started: ${formatListeningLine(address.host, address.port)}`,
              ),
            (error: Error) => reply(`Server ${command.server} could not start: ${error.message}`),
          );
          return;
      }
    });
    onStopSignal(io, (again) => {
      if (again) {
        for (let k = 1; k <= servers.count; k++) servers.server(k).crash();
        stopping = false;
        stop(0);
      } else {
        stop(config.shutdownGraceMs);
      }
    });
  });
  process.off('exit', removeCopies);
}

/** The process entry point: real argv, stdio and signals; exits with the code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exit(await runCli(argv, processIo()));
}
