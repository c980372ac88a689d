/**
 * A closed-loop load: `concurrency` workers, each sending its next request as soon as the previous
 * one finished, until `requests` were sent or `maxDurationMs` passed (then no new request starts;
 * those in flight finish, each bounded by the client's own timeouts). Bounded in count and time,
 * so a stuck server cannot hang the bench.
 */
import type { RequestRecord } from '../stats/request-record.js';
import { type FetchResult, RedirectClient } from './redirect-client.js';

export interface ClosedLoopOptions {
  requests: number;
  concurrency: number;
  maxDurationMs: number;
  /** Sends request `index` with the worker's client (its own connections). */
  send: (index: number, client: RedirectClient) => Promise<FetchResult>;
  /** Checked before each request: true stops the run early (e.g. once a scripted fault is over). */
  shouldStop?: () => boolean;
  /** Called after each finished request (progress bars, live counters). */
  onRecord?: (record: RequestRecord) => void;
  /** Makes a client per worker; tests may pass a fake. Default: a RedirectClient. */
  createClient?: () => RedirectClient;
  now?: () => number;
}

export interface ClosedLoopResult {
  /** One record per request sent, by index (requests not sent for lack of time are absent). */
  records: RequestRecord[];
  /** True when the time limit stopped the run before every request was sent. */
  stoppedByTime: boolean;
  durationMs: number;
  /** The `now()` the run started at: record times are relative to it. */
  startedAt: number;
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  if (!Number.isInteger(options.requests) || options.requests < 0) {
    throw new RangeError(`requests must be a non-negative integer, got ${options.requests}`);
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const now = options.now ?? (() => performance.now());
  const createClient = options.createClient ?? (() => new RedirectClient());
  const startedAt = now();
  const deadline = startedAt + options.maxDurationMs;
  const records: RequestRecord[] = [];
  let next = 0;
  let stoppedByTime = false;

  const worker = async () => {
    const client = createClient();
    try {
      while (next < options.requests && options.shouldStop?.() !== true) {
        if (now() >= deadline) {
          stoppedByTime = true;
          return;
        }
        const index = next++;
        const sentAt = now();
        const result = await options.send(index, client);
        const record: RequestRecord = { index, startedAtMs: sentAt - startedAt, ...result };
        records.push(record);
        options.onRecord?.(record);
      }
    } finally {
      client.close();
    }
  };
  const workers = Math.min(options.concurrency, Math.max(1, options.requests));
  await Promise.all(Array.from({ length: workers }, worker));
  records.sort((a, b) => a.index - b.index);
  return { records, stoppedByTime, durationMs: now() - startedAt, startedAt };
}
