/**
 * lb-balancer's flags, usage and `--help` examples, as data: cli.ts builds the parser from them,
 * `--help` is generated from them and docs/apps/balancer.md mirrors them.
 */
import { fileURLToPath } from 'node:url';
import { LOG_LEVELS } from '@lb/cli-kit';
import type { Options } from 'yargs';

/** The sample folder served by the replicas the balancer starts when no server is configured. */
export const SAMPLE_ROOT: string = fileURLToPath(new URL('../sample/', import.meta.url));
export const DEFAULT_REPLICAS = 3;
export const TOKEN_ENV = 'LB_BALANCER_ADMIN_TOKEN';
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
  // One name for the slowloris timeout across the apps; --request-timeout is the old one.
  'header-timeout': {
    alias: 'request-timeout',
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

export const USAGE = `Usage:
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
