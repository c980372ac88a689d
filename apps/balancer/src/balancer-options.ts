/**
 * Everything a balancer needs to run, as plain data: what `cli.ts` gets from the flags through
 * {@link toBalancerOptions} and what tests build directly. Durations are milliseconds here (flags
 * are seconds).
 */
import { isIP } from 'node:net';
import {
  type balancerFlags,
  DEFAULT_LOG_LEVEL,
  DEFAULT_REPLICAS,
  SAMPLE_ROOT,
  TOKEN_ENV,
} from './balancer-flags.js';
import { mergeServerLists, parseServerArguments, readConfigFile } from './config-file.js';
import { UsageError } from './errors.js';
import type { ServerSpec } from './server-spec.js';

export interface ProbeSettings {
  /** Path of the test file fetched from every server, e.g. `/test.jpg`. */
  path: string;
  /** Time between the starts of two performance tests. */
  intervalMs: number;
  /** Deadline of one transfer (connect to last byte). */
  timeoutMs: number;
  /** Transfers per probe; the median one is reported. */
  samples: number;
  /** Servers probed at the same time. */
  concurrency: number;
  /** Good probes in a row that bring a down server back (with `readmit`). */
  rise: number;
  /** Failed probes in a row that take a live server out. */
  fall: number;
  /** Keep probing failed servers and readmit them; without it a failed server is dropped for good. */
  readmit: boolean;
}

export interface AdminSettings {
  host: string;
  port: number;
  /** Bearer token required on every admin endpoint but the status page. */
  token: string | undefined;
}

export interface ReplicaSettings {
  /** lb-server processes to start. */
  count: number;
  /** Directory they serve. */
  root: string;
}

export interface BalancerOptions {
  servers: readonly ServerSpec[];
  host: string;
  port: number;
  strategy: string;
  strategyOptions: Readonly<Record<string, string>>;
  /** Seed of the strategy's random source; random when undefined. */
  seed: number | undefined;
  probe: ProbeSettings;
  /** A keep-alive connection with no request for this long is closed. */
  idleTimeoutMs: number;
  /** A request must arrive completely within this long once it starts (else 408). */
  headerTimeoutMs: number;
  admin: AdminSettings | undefined;
  replicas: ReplicaSettings | undefined;
}

/** What yargs parsed from lb-balancer's flags. */
export type BalancerFlagValues = { [K in keyof typeof balancerFlags]?: unknown } & {
  _: (string | number)[];
};

/** A run of the balancer as the command line asks for it. */
export interface RunSettings {
  options: BalancerOptions;
  /** No server configured: the balancer starts its own replicas over the sample folder. */
  embedded: boolean;
  logLevel: string;
  json: boolean;
}

export function single(name: string, value: unknown): unknown {
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

/**
 * Flags (and the admin token from the environment) → balancer options, with the config file read
 * and merged. Throws UsageError, ConfigError or ConfigFileUnreadableError.
 */
export async function toBalancerOptions(
  flags: BalancerFlagValues,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RunSettings> {
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
    headerTimeoutMs: secondsFlag('header-timeout', flags['header-timeout'], 3600) * 1000,
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
  return { options, embedded, logLevel, json };
}
