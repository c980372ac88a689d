/** What `download()` takes. */
import { InvalidOptionError } from './errors.js';
import type { DownloadEvent, DownloadSnapshot } from './events.js';
import type { DownloadLogger } from './logger.js';

/** Where the file goes: an exact path, or a directory where it keeps its remote name. */
export type Destination = { kind: 'file'; path: string } | { kind: 'directory'; path: string };

export interface DownloadOptions {
  /** URLs of the same file; the k-th is "Server k" in events and snapshots. */
  mirrors: readonly string[];
  /** A file path, or where and how to name the file. */
  destination: string | Destination;
  /** Continue a partial download of the same file (default false: start over). */
  resume?: boolean;
  /** How long to keep trying when no mirror answers (default 60 000 ms). */
  waitMs?: number;
  /** A fixed count, or 'auto' (default): from 1 up to 4 while more raise the speed. */
  connectionsPerMirror?: number | 'auto';
  /** Default 5000 ms. */
  connectTimeoutMs?: number;
  /** No byte for this long and a transfer counts as stalled (default 5000 ms). */
  stallTimeoutMs?: number;
  /** Manifest save period (default 1000 ms). */
  checkpointIntervalMs?: number;
  /** How often stalls and the wait deadline are checked and idle workers re-ask (default 50). */
  tickMs?: number;
  /** Backoff of a failed mirror (defaults 250 ms doubling to 2000 ms, full jitter). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Uniform [0, 1) for the backoff jitter (default Math.random). */
  random?: () => number;
  /** Sent as User-Agent (default 'lb-download'). */
  userAgent?: string;
  /** Diagnostics (info: mirror state changes; debug: every fragment). Default: silent. */
  logger?: DownloadLogger;
  onEvent?: (event: DownloadEvent) => void;
  /** Called every `progressIntervalMs` (default 1000) once the download started. */
  onProgress?: (snapshot: DownloadSnapshot) => void;
  progressIntervalMs?: number;
  /** Told every body byte count received. */
  onBytesReceived?: (bytes: number) => void;
  /** Abort to stop: rejects with DownloadAbortedError; the manifest is saved for a resume. */
  signal?: AbortSignal;
}

/** @throws InvalidOptionError (`LB_DOWNLOAD_INVALID_OPTION`) for no mirrors or a bad URL. */
export function checkOptions(options: DownloadOptions): void {
  if (options.mirrors.length === 0) {
    throw new InvalidOptionError('mirrors', 'at least one mirror URL is needed');
  }
  for (const url of options.mirrors) {
    if (!URL.canParse(url) || new URL(url).protocol !== 'http:') {
      throw new InvalidOptionError('mirrors', `not an http: URL: ${url}`);
    }
  }
}
