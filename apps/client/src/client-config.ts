/**
 * From parsed flags to what lb-client will do. Every check of a flag value lives here, so each bad
 * input has one clear UsageError (exit 2) before anything touches the network or the disk.
 */
import { LOG_LEVELS, type LogLevel } from '@lb/cli-kit';
import { UsageError } from './errors.js';

export const DEFAULTS = Object.freeze({
  intervalSeconds: 1,
  waitSeconds: 60,
  connections: 'auto' as const,
  connectTimeoutSeconds: 5,
  stallSeconds: 5,
  checkpointSeconds: 1,
  logLevel: 'warn' as LogLevel,
});

/** Above this many connections per server the client only adds load, not speed (documented). */
export const MAX_CONNECTIONS_PER_SERVER = 8;
/** Shortest metrics interval: below it the lines are noise and the speeds meaningless. */
export const MIN_INTERVAL_SECONDS = 0.01;

/** The flags as yargs hands them over (numbers stay strings so we can explain bad ones). */
export interface RawFlags {
  urls?: Array<string | number>;
  output?: string;
  resume?: boolean;
  interval?: string;
  address?: string;
  port?: Array<string | number>;
  file?: string;
  multi?: boolean;
  wait?: string;
  connections?: string;
  json?: boolean;
  progress?: boolean;
  'log-level'?: string;
  'connect-timeout'?: string;
  'stall-timeout'?: string;
  'checkpoint-interval'?: string;
}

export interface CommonConfig {
  /** `-o` as given (resolved against the cwd by the mode). */
  output: string | undefined;
  resume: boolean;
  intervalMs: number;
  waitMs: number;
  /** 'auto': the engine's ConnectionRamp decides per server. */
  connectionsPerServer: number | 'auto';
  json: boolean;
  /** undefined: draw bars only when stdout is a terminal. */
  progress: boolean | undefined;
  logLevel: LogLevel;
  connectTimeoutMs: number;
  stallTimeoutMs: number;
  /** How often the resume manifest is saved (when something new was verified). */
  checkpointIntervalMs: number;
}

/** Mode 1: one URL; redirects are followed and printed. */
export interface SingleUrlConfig extends CommonConfig {
  mode: 'url';
  url: string;
  /** Continue over the `Link: rel=duplicate` mirrors of the redirect, in mode 2's engine. */
  multi: boolean;
}

/** Several URLs of the same file: mirrors, downloaded at once with the engine. */
export interface MirrorUrlsConfig extends CommonConfig {
  mode: 'mirrors';
  urls: string[];
}

/** Mode 2: `-a host -p port…`; the file from `--file` or the servers' index. */
export interface ServerPortsConfig extends CommonConfig {
  mode: 'servers';
  address: string;
  ports: number[];
  file: string | undefined;
}

export type ClientConfig = SingleUrlConfig | MirrorUrlsConfig | ServerPortsConfig;

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A positive number of seconds (decimals allowed) as milliseconds. */
export function parseSeconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return Math.round(fallback * 1000);
  const text = String(value).trim();
  if (!DECIMAL.test(text) || !(Number(text) > 0)) {
    throw new UsageError(`${flag} must be a positive number of seconds, got "${value}"`);
  }
  return Math.round(Number(text) * 1000);
}

/** `--connections`: 'auto', or a fixed count per server. */
function parseConnections(value: string | undefined): number | 'auto' {
  if (value === undefined || String(value).trim() === 'auto') return DEFAULTS.connections;
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_CONNECTIONS_PER_SERVER) {
    throw new UsageError(
      `--connections must be auto or an integer from 1 to ${MAX_CONNECTIONS_PER_SERVER}, got "${value}"`,
    );
  }
  return Number(text);
}

/** Ports as given after `-p`: integers 1–65535, each once. */
export function parsePorts(values: ReadonlyArray<string | number>): number[] {
  const ports: number[] = [];
  for (const value of values) {
    const text = String(value).trim();
    const port = Number(text);
    if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
      throw new UsageError(`-p: "${value}" is not a port (1-65535)`);
    }
    if (ports.includes(port)) throw new UsageError(`-p: port ${port} is given twice`);
    ports.push(port);
  }
  return ports;
}

/** Checks a URL given on the command line: http: only, with a host. */
export function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`"${value}" is not a URL (expected http://host:port/path)`);
  }
  if (url.protocol !== 'http:') {
    throw new UsageError(`"${value}": only http:// URLs are supported`);
  }
  if (url.hostname === '') throw new UsageError(`"${value}" has no host`);
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`"${value}": credentials in URLs are not supported`);
  }
  return url.href;
}

export function toClientConfig(flags: RawFlags): ClientConfig {
  const intervalMs = parseSeconds('-i/--interval', flags.interval, DEFAULTS.intervalSeconds);
  if (intervalMs < MIN_INTERVAL_SECONDS * 1000) {
    throw new UsageError(`-i/--interval must be at least ${MIN_INTERVAL_SECONDS} seconds`);
  }
  const logLevel = (flags['log-level'] ?? DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const common: CommonConfig = {
    output: flags.output === '' ? undefined : flags.output,
    resume: flags.resume ?? false,
    intervalMs,
    waitMs: parseSeconds('--wait', flags.wait, DEFAULTS.waitSeconds),
    connectionsPerServer: parseConnections(flags.connections),
    json: flags.json ?? false,
    progress: flags.progress,
    logLevel,
    connectTimeoutMs: parseSeconds(
      '--connect-timeout',
      flags['connect-timeout'],
      DEFAULTS.connectTimeoutSeconds,
    ),
    stallTimeoutMs: parseSeconds('--stall-timeout', flags['stall-timeout'], DEFAULTS.stallSeconds),
    checkpointIntervalMs: parseSeconds(
      '--checkpoint-interval',
      flags['checkpoint-interval'],
      DEFAULTS.checkpointSeconds,
    ),
  };
  const urls = (flags.urls ?? []).map(String);
  const byPorts = flags.address !== undefined || flags.port !== undefined;

  if (byPorts) {
    if (urls.length > 0) {
      throw new UsageError(`give either URLs or -a/-p, not both (got ${urls.join(' ')})`);
    }
    if (flags.address === undefined || flags.address.trim() === '') {
      throw new UsageError('-a <server_ip_address> is required with -p');
    }
    if (flags.port === undefined || flags.port.length === 0) {
      throw new UsageError('-p <port1> ... <portn> is required with -a');
    }
    const file = flags.file;
    if (file !== undefined && (file === '' || file.split('/').some((s) => s === '..'))) {
      throw new UsageError(`--file must be a file name on the servers, got "${file}"`);
    }
    return {
      ...common,
      mode: 'servers',
      address: flags.address.trim(),
      ports: parsePorts(flags.port),
      file: file?.replace(/^\/+/, ''),
    };
  }
  if (flags.file !== undefined) throw new UsageError('--file only applies with -a/-p');
  if (urls.length === 0) {
    throw new UsageError('nothing to download: give a URL, or -a <address> -p <ports...>');
  }
  const checked = urls.map(checkUrl);
  if (checked.length === 1) {
    return { ...common, mode: 'url', url: checked[0]!, multi: flags.multi ?? false };
  }
  const unique = [...new Set(checked)];
  if (unique.length !== checked.length) {
    throw new UsageError('the same URL is given twice');
  }
  return { ...common, mode: 'mirrors', urls: unique };
}
