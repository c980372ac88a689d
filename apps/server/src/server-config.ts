/**
 * Turns parsed flags into a validated configuration for one of the two modes, or throws a
 * UsageError whose message names the problem (the CLI prints it as one line and exits 2).
 *
 * Mode: any of `-i`, `-n`, `-f` selects the virtual-server mode, which then needs all four of
 * `-i -n -f -p`; otherwise it is the single-server mode. `-p` is `--port`: one port for a single
 * server, exactly n ports for n virtual servers. The testing aids take one value (applies to every
 * server) or, in virtual mode, one value per server.
 *
 * Durations are seconds with decimals allowed, like lb-balancer's and lb-client's; only the testing
 * aid `--latency` is milliseconds, because the issue fixes that flag's unit.
 */
import { isLogLevel, LOG_LEVELS, type LogLevel } from '@lb/cli-kit';
import { DEFAULT_SERVE_OPTIONS } from '@lb/http-wire';
import { parseByteSize } from './byte-size.js';
import { UsageError } from './errors.js';
import { DEFAULT_MAX_CONNECTIONS } from './file-server.js';

export const MAX_VIRTUAL_SERVERS = 256;
/** Flag defaults, in the units of the flags (seconds for durations). */
export const DEFAULTS = Object.freeze({
  headerTimeoutSeconds: DEFAULT_SERVE_OPTIONS.headerTimeoutMs / 1000,
  idleTimeoutSeconds: DEFAULT_SERVE_OPTIONS.idleTimeoutMs / 1000,
  sendTimeoutSeconds: DEFAULT_SERVE_OPTIONS.sendTimeoutMs / 1000,
  shutdownGraceSeconds: 5,
  maxConnections: DEFAULT_MAX_CONNECTIONS,
  logLevel: 'info',
  virtualLogLevel: 'warn',
});
/** Longest duration a flag takes: a day (and far below setTimeout's 2^31-1 ms limit). */
export const MAX_DURATION_SECONDS = 86_400;

/** The flags as yargs hands them over (lists are string arrays so every value is checked here). */
export interface RawFlags {
  root?: string | undefined;
  port?: Array<string | number> | undefined;
  host: string;
  id?: string | undefined;
  statusInterval?: string | number | undefined;
  numServers?: string | number | undefined;
  file?: string | undefined;
  rate?: Array<string | number> | undefined;
  latency?: Array<string | number> | undefined;
  failAfter?: Array<string | number> | undefined;
  corrupt?: Array<string | number> | undefined;
  index: boolean;
  logLevel?: string | undefined;
  json?: boolean | undefined;
  headerTimeout?: string | number | undefined;
  idleTimeout?: string | number | undefined;
  sendTimeout?: string | number | undefined;
  maxConnections?: string | number | undefined;
  shutdownGrace?: string | number | undefined;
}

/** Testing aids of one server. */
export interface AidsConfig {
  rateBytesPerSecond: number | undefined;
  latencyMs: number;
  failAfterBytes: number | undefined;
  corrupt: boolean;
}

export interface CommonConfig {
  host: string;
  directoryIndex: boolean;
  logLevel: LogLevel;
  /** `--json`: stdout carries one JSON object per line instead of the text lines. */
  json: boolean;
  headerTimeoutMs: number;
  idleTimeoutMs: number;
  sendTimeoutMs: number;
  maxConnections: number;
  shutdownGraceMs: number;
}

export interface SingleServerConfig extends CommonConfig {
  mode: 'single';
  root: string;
  port: number;
  id: string;
  aids: AidsConfig;
}

export interface VirtualServersConfig extends CommonConfig {
  mode: 'virtual';
  statusIntervalMs: number;
  file: string;
  ports: number[];
  /** `aids[k - 1]` belongs to server k. */
  aids: AidsConfig[];
}

export type ServerConfig = SingleServerConfig | VirtualServersConfig;

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER = /^\d+$/;

export function toServerConfig(flags: RawFlags, cwd: string): ServerConfig {
  const virtual =
    flags.statusInterval !== undefined ||
    flags.numServers !== undefined ||
    flags.file !== undefined;
  const common = toCommonConfig(flags, virtual);
  return virtual ? toVirtualConfig(flags, common) : toSingleConfig(flags, common, cwd);
}

function toCommonConfig(flags: RawFlags, virtual: boolean): CommonConfig {
  const logLevel = flags.logLevel ?? (virtual ? DEFAULTS.virtualLogLevel : DEFAULTS.logLevel);
  if (!isLogLevel(logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  // A timeout flag: seconds above 0, or its default.
  const toMs = (flag: string, value: string | number | undefined, fallback: number) =>
    secondsToMs(flag, value ?? fallback, false);
  return {
    host: flags.host,
    directoryIndex: flags.index,
    logLevel,
    json: flags.json === true,
    headerTimeoutMs: toMs('--header-timeout', flags.headerTimeout, DEFAULTS.headerTimeoutSeconds),
    idleTimeoutMs: toMs('--idle-timeout', flags.idleTimeout, DEFAULTS.idleTimeoutSeconds),
    sendTimeoutMs: toMs('--send-timeout', flags.sendTimeout, DEFAULTS.sendTimeoutSeconds),
    maxConnections: positiveInteger(
      '--max-connections',
      flags.maxConnections ?? DEFAULTS.maxConnections,
      'connections',
    ),
    shutdownGraceMs: secondsToMs(
      '--shutdown-grace',
      flags.shutdownGrace ?? DEFAULTS.shutdownGraceSeconds,
      true,
    ),
  };
}

function toSingleConfig(flags: RawFlags, common: CommonConfig, cwd: string): SingleServerConfig {
  const ports = flags.port ?? [];
  if (ports.length > 1) {
    throw new UsageError(
      `--port takes one port for a single server, got ${ports.length} (virtual servers need -i, -n, -f and -p)`,
    );
  }
  const aids = toAidsConfigs(flags, 1, false)[0]!;
  return {
    ...common,
    mode: 'single',
    root: flags.root ?? cwd,
    port: ports.length === 0 ? 0 : toPort(ports[0]!),
    id: flags.id ?? '1',
    aids,
  };
}

function toVirtualConfig(flags: RawFlags, common: CommonConfig): VirtualServersConfig {
  const missing = [
    flags.statusInterval === undefined ? '-i' : '',
    flags.numServers === undefined ? '-n' : '',
    flags.file === undefined ? '-f' : '',
    flags.port === undefined || flags.port.length === 0 ? '-p' : '',
  ].filter((flag) => flag !== '');
  if (missing.length > 0) {
    throw new UsageError(
      `virtual servers need all of -i, -n, -f and -p; missing ${missing.join(', ')}`,
    );
  }
  if (flags.root !== undefined) {
    throw new UsageError(
      '--root does not apply to virtual servers (they serve the file given by -f)',
    );
  }
  if (flags.id !== undefined) {
    throw new UsageError('--id does not apply to virtual servers (they are numbered 1 to n)');
  }
  const statusText = String(flags.statusInterval).trim();
  const statusSeconds = Number(statusText);
  if (!NUMBER.test(statusText) || !(statusSeconds > 0)) {
    throw new UsageError(
      `-i (status interval) must be a number of seconds greater than 0, got "${flags.statusInterval}"`,
    );
  }
  const countText = String(flags.numServers).trim();
  const count = Number(countText);
  if (!INTEGER.test(countText) || count < 1 || count > MAX_VIRTUAL_SERVERS) {
    throw new UsageError(
      `-n (number of servers) must be a whole number from 1 to ${MAX_VIRTUAL_SERVERS}, got "${flags.numServers}"`,
    );
  }
  const file = String(flags.file);
  if (file.trim() === '') throw new UsageError('-f needs the path of the file to serve');
  const rawPorts = flags.port!;
  if (rawPorts.length !== count) {
    throw new UsageError(
      `-p needs exactly ${count} port${count === 1 ? '' : 's'} (one per server, -n ${count}), got ${rawPorts.length}`,
    );
  }
  const ports = rawPorts.map(toPort);
  const seen = new Set<number>();
  for (const port of ports) {
    // Port 0 ("any free port") may repeat: each listener gets its own.
    if (port !== 0 && seen.has(port)) throw new UsageError(`port ${port} is given twice in -p`);
    seen.add(port);
  }
  return {
    ...common,
    mode: 'virtual',
    statusIntervalMs: Math.round(statusSeconds * 1000),
    file,
    ports,
    aids: toAidsConfigs(flags, count, true),
  };
}

function toPort(value: string | number): number {
  const text = String(value).trim();
  const port = Number(text);
  if (!INTEGER.test(text) || port > 65535) {
    throw new UsageError(`port "${value}" is not a whole number from 0 to 65535`);
  }
  return port;
}

/** One value for every server, or (virtual mode) one per server. */
function perServer<T>(
  flag: string,
  values: Array<string | number> | undefined,
  count: number,
  virtual: boolean,
  parse: (value: string) => T,
): Array<T | undefined> {
  if (values === undefined || values.length === 0) return new Array(count).fill(undefined);
  if (values.length === 1) return new Array(count).fill(parse(String(values[0])));
  if (!virtual) throw new UsageError(`${flag} takes one value, got ${values.length}`);
  if (values.length !== count) {
    throw new UsageError(
      `${flag} takes 1 value or one per server (${count}), got ${values.length}`,
    );
  }
  return values.map((value) => parse(String(value)));
}

function toAidsConfigs(flags: RawFlags, count: number, virtual: boolean): AidsConfig[] {
  const rates = perServer('--rate', flags.rate, count, virtual, (value) => {
    const bytes = parseByteSize(value);
    if (bytes === null || bytes <= 0) {
      throw new UsageError(
        `--rate "${value}" is not a rate in bytes per second greater than 0 (e.g. 512K, 4M, 1G)`,
      );
    }
    return bytes;
  });
  const latencies = perServer('--latency', flags.latency, count, virtual, (value) =>
    nonNegativeInteger('--latency', value, 'milliseconds'),
  );
  const failAfters = perServer('--fail-after', flags.failAfter, count, virtual, (value) => {
    const bytes = parseByteSize(value);
    if (bytes === null) {
      throw new UsageError(`--fail-after "${value}" is not a byte count (e.g. 0, 100, 64K, 1M)`);
    }
    return bytes;
  });
  const corrupted = toCorruptServers(flags.corrupt, count, virtual);
  return Array.from({ length: count }, (_, index) => ({
    rateBytesPerSecond: rates[index],
    latencyMs: latencies[index] ?? 0,
    failAfterBytes: failAfters[index],
    corrupt: corrupted.has(index + 1),
  }));
}

/** `--corrupt` alone: every server; `--corrupt 2 4` (virtual mode): those servers. */
function toCorruptServers(
  values: Array<string | number> | undefined,
  count: number,
  virtual: boolean,
): Set<number> {
  const all = new Set(Array.from({ length: count }, (_, index) => index + 1));
  if (values === undefined) return new Set();
  if (values.length === 0) return all;
  if (!virtual) throw new UsageError('--corrupt takes no value for a single server');
  const chosen = new Set<number>();
  for (const value of values) {
    const text = String(value).trim();
    const server = Number(text);
    if (!INTEGER.test(text) || server < 1 || server > count) {
      throw new UsageError(`--corrupt takes server numbers from 1 to ${count}, got "${value}"`);
    }
    chosen.add(server);
  }
  return chosen;
}

/**
 * A duration flag in seconds (decimals allowed) → whole milliseconds. A positive duration never
 * rounds down to 0 ms, which would turn a timeout off.
 */
function secondsToMs(flag: string, value: string | number, zeroAllowed: boolean): number {
  const text = String(value).trim();
  const seconds = Number(text);
  const inRange = zeroAllowed ? seconds >= 0 : seconds > 0;
  if (!NUMBER.test(text) || !inRange || seconds > MAX_DURATION_SECONDS) {
    const range = zeroAllowed ? 'from 0 to' : 'above 0, at most';
    throw new UsageError(
      `${flag} must be a number of seconds ${range} ${MAX_DURATION_SECONDS} (e.g. 0.5), got "${value}"`,
    );
  }
  const ms = Math.round(seconds * 1000);
  return seconds > 0 ? Math.max(1, ms) : 0;
}

function positiveInteger(flag: string, value: string | number, unit: string): number {
  const result = nonNegativeInteger(flag, value, unit);
  if (result === 0) throw new UsageError(`${flag} must be greater than 0 ${unit}, got "${value}"`);
  return result;
}

function nonNegativeInteger(flag: string, value: string | number, unit: string): number {
  const text = String(value).trim();
  const number = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(number)) {
    throw new UsageError(`${flag} must be a whole number of ${unit}, got "${value}"`);
  }
  return number;
}
