/**
 * A probe: a timed transfer of one file over a fresh connection, measuring connect time, time to
 * first byte, total time and throughput. With several samples the transfers run one after another
 * and the median one (by total time) is reported, so one hiccup neither flatters nor sinks a server;
 * any failed sample fails the probe, because a mirror that drops one transfer in three is not
 * healthy.
 */
import { performance } from 'node:perf_hooks';
import { ClientConnection } from '@lb/http-wire';
import { InvalidProbeOptionError, PROBE_FAILURE_CODES } from './errors.js';
import type { ProbeFailure, ProbeResult, ProbeSuccess } from './probe-result.js';
import { type ProbeTarget, type ResolvedTarget, resolveTarget } from './probe-target.js';

export interface ProbeOptions {
  /** Request path of the test file. Default `/test.jpg`. */
  path?: string;
  /** Deadline of each transfer, connect to last byte. Default 10 000 ms. */
  timeoutMs?: number;
  /** Transfers to make; the median is reported. Default 1. */
  samples?: number;
  /** Aborting ends the probe with an `LB_PROBE_ABORTED` failure. */
  signal?: AbortSignal;
}

export const DEFAULT_PROBE_PATH = '/test.jpg';
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
export const DEFAULT_HEALTH_PATH = '/heartbeat';
export const DEFAULT_HEALTH_TIMEOUT_MS = 2_000;

interface CheckedOptions {
  path: string;
  timeoutMs: number;
  samples: number;
  signal: AbortSignal | undefined;
}

function checkOptions(
  options: ProbeOptions,
  defaultPath: string,
  defaultTimeoutMs: number,
): CheckedOptions {
  const path = options.path ?? defaultPath;
  if (typeof path !== 'string' || !/^\/[\x21-\x7e]*$/.test(path)) {
    throw new InvalidProbeOptionError(
      'path',
      path,
      'expected an origin-form path such as "/test.jpg"',
    );
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new InvalidProbeOptionError(
      'timeoutMs',
      timeoutMs,
      'expected a positive number of milliseconds',
    );
  }
  const samples = options.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1 || samples > 100) {
    throw new InvalidProbeOptionError('samples', samples, 'expected an integer from 1 to 100');
  }
  return { path, timeoutMs, samples, signal: options.signal };
}

/** Marks the abort that our own deadline caused, to tell it from the caller's. */
const DEADLINE = Symbol('probe deadline');

function failure(
  target: ResolvedTarget,
  code: string,
  message: string,
  startedAt: number,
  status?: number,
): ProbeFailure {
  const result: ProbeFailure = {
    ok: false,
    target: target.id,
    error: { code, message },
    totalMs: performance.now() - startedAt,
  };
  if (status !== undefined) result.status = status;
  return result;
}

/** One transfer on a fresh connection. Never throws. */
async function transfer(target: ResolvedTarget, options: CheckedOptions): Promise<ProbeResult> {
  const startedAt = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(DEADLINE), options.timeoutMs);
  const signal =
    options.signal === undefined
      ? deadline.signal
      : AbortSignal.any([deadline.signal, options.signal]);
  let connection: ClientConnection | undefined;
  try {
    connection = await ClientConnection.connect({
      host: target.connectHost,
      port: target.port,
      connectTimeoutMs: options.timeoutMs,
      signal,
    });
    const connectMs = performance.now() - startedAt;
    const response = await connection.request({
      path: options.path,
      // A probe measures the server, never a cache in between; one request per connection.
      headers: [
        ['User-Agent', 'lb-probe'],
        ['Cache-Control', 'no-cache'],
        ['Connection', 'close'],
      ],
      responseTimeoutMs: options.timeoutMs,
      signal,
    });
    const ttfbMs = connectMs + response.timings.firstByteMs;
    const status = response.statusCode;
    if (status < 200 || status > 299) {
      return failure(
        target,
        PROBE_FAILURE_CODES.badStatus,
        `GET ${options.path} answered ${status}${response.head.reason ? ` ${response.head.reason}` : ''}`,
        startedAt,
        status,
      );
    }
    let bytes = 0;
    for await (const chunk of response.body) bytes += chunk.byteLength;
    const totalMs = performance.now() - startedAt;
    const success: ProbeSuccess = {
      ok: true,
      target: target.id,
      status,
      connectMs,
      ttfbMs,
      totalMs,
      bytes,
      bytesPerSec: totalMs > 0 ? (bytes * 1000) / totalMs : 0,
      samples: 1,
    };
    return success;
  } catch (error) {
    if (deadline.signal.aborted) {
      return failure(
        target,
        PROBE_FAILURE_CODES.timeout,
        `GET ${options.path} did not complete within ${options.timeoutMs} ms`,
        startedAt,
      );
    }
    if (options.signal?.aborted) {
      return failure(target, PROBE_FAILURE_CODES.aborted, 'probe aborted', startedAt);
    }
    const { code, message } = error as { code?: unknown; message?: unknown };
    return failure(
      target,
      typeof code === 'string' ? code : PROBE_FAILURE_CODES.unexpected,
      typeof message === 'string' ? message : String(error),
      startedAt,
    );
  } finally {
    clearTimeout(timer);
    connection?.destroy();
  }
}

/** The lower median by total time: a sample that really happened, with consistent figures. */
function median(results: readonly ProbeSuccess[]): ProbeSuccess {
  const sorted = [...results].sort((a, b) => a.totalMs - b.totalMs);
  const middle = sorted[(sorted.length - 1) >> 1] as ProbeSuccess;
  return { ...middle, samples: results.length };
}

/**
 * Times the transfer of `path` from `target`. Resolves with the figures, or with a failure whose
 * `error.code` says why (`LB_WIRE_CONNECT_FAILED`, `LB_WIRE_CONNECT_TIMEOUT`, `LB_WIRE_RESPONSE_TIMEOUT`,
 * `LB_WIRE_PREMATURE_CLOSE`, `LB_PROBE_TIMEOUT`, `LB_PROBE_BAD_STATUS`, `LB_PROBE_ABORTED`, …). Throws only
 * InvalidProbeOptionError, for a bad target or option.
 */
export async function probe(
  target: ProbeTarget | string,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const resolved = resolveTarget(target);
  const checked = checkOptions(options, DEFAULT_PROBE_PATH, DEFAULT_PROBE_TIMEOUT_MS);
  const results: ProbeSuccess[] = [];
  for (let i = 0; i < checked.samples; i++) {
    const result = await transfer(resolved, checked);
    if (!result.ok) return result;
    results.push(result);
  }
  return median(results);
}

/**
 * A health check: `GET /heartbeat` (configurable) must answer 2xx within 2 s (configurable).
 * The same result shape as {@link probe}; the figures of an empty body are simply small.
 */
export function checkHealth(
  target: ProbeTarget | string,
  options: Omit<ProbeOptions, 'samples'> = {},
): Promise<ProbeResult> {
  return probe(target, {
    ...options,
    path: options.path ?? DEFAULT_HEALTH_PATH,
    timeoutMs: options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS,
  });
}
