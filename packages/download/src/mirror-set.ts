/**
 * The mirrors of one download and their health: up, down (in backoff, retried after a delay that
 * also honours a server's Retry-After), or dropped for good (disagrees with the others, lies about
 * fragments, no longer has the file). Every state change is announced once, as an event for people
 * and a log line for diagnostics. When every mirror is dropped the download fails with
 * NoMirrorLeftError; when every one left is down, the `waitMs` clock starts (`waitExpired`).
 */
import { Backoff, type SourceGroup } from '@lb/segments';
import { ConnectionRamp, type ConnectionRampOptions } from './connection-ramp.js';
import { type DownloadError, NoMirrorLeftError, ServersLostError } from './errors.js';
import type { DownloadEvent } from './events.js';
import type { DownloadLogger } from './logger.js';
import type { MirrorIdentity } from './mirror-probe.js';

export type MirrorStatus = 'unknown' | 'up' | 'down' | 'dropped';

/** Shortest pause between two attempts on a dead mirror, whatever the jitter draws. */
const MIN_RETRY_MS = 50;
/** A mirror whose fragments fail verification this often is dropped. */
const MAX_BAD_FRAGMENTS = 2;

export interface Mirror {
  /** Position in the caller's list (0-based); `server` is the 1-based one used in reports. */
  readonly index: number;
  readonly server: number;
  /** As given; the probe may move it (redirects). */
  url: string;
  host: string;
  port: number;
  path: string;
  identity: MirrorIdentity | undefined;
  status: MirrorStatus;
  dropReason: string | undefined;
  dropForHttpStatus: boolean;
  readonly backoff: Backoff;
  retryAt: number;
  probing: boolean;
  everUp: boolean;
  bytesReceived: number;
  badFragments: number;
  /** Undefined for a fixed connection count. */
  readonly ramp: ConnectionRamp | undefined;
  /** Connections it should have now; workers above it retire after their fragment. */
  connections: number;
  /** Slots of the workers running now. */
  readonly slots: Set<number>;
  /** Slots whose connection has had a 206 accepted since the mirror last failed (for the ramp). */
  readonly receiving: Set<number>;
}

/** The scheduler's group of a mirror's sources: adding them and dropping them must agree on it. */
export function sourceGroupOf(mirror: Mirror): SourceGroup {
  return `${mirror.server}`;
}

export interface MirrorSetOptions {
  /** A fixed count, or a ramp per mirror. */
  connections: number | ConnectionRampOptions;
  backoffBaseMs: number;
  backoffMaxMs: number;
  random: () => number;
  /** How long to wait for a mirror to come back when all are down. */
  waitMs: number;
  logger: DownloadLogger;
  emit: (event: DownloadEvent) => void;
  /** A mirror was dropped: its transfers must stop and its sources leave the scheduler. */
  onDropped: (mirror: Mirror) => void;
  /** No mirror is left: the download fails with this. */
  onExhausted: (error: DownloadError) => void;
}

function locate(url: string): { host: string; port: number; path: string } {
  const parsed = new URL(url);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return {
    host,
    port: parsed.port === '' ? 80 : Number(parsed.port),
    path: `${parsed.pathname}${parsed.search}`,
  };
}

export class MirrorSet {
  readonly all: readonly Mirror[];
  readonly #options: MirrorSetOptions;
  #waitingSince: number | undefined;

  constructor(urls: readonly string[], options: MirrorSetOptions) {
    this.#options = options;
    const { connections } = options;
    this.all = urls.map((url, index) => ({
      index,
      server: index + 1,
      url,
      ...locate(url),
      identity: undefined,
      status: 'unknown',
      dropReason: undefined,
      dropForHttpStatus: false,
      backoff: new Backoff({
        baseMs: options.backoffBaseMs,
        maxMs: options.backoffMaxMs,
        random: options.random,
      }),
      retryAt: 0,
      probing: false,
      everUp: false,
      bytesReceived: 0,
      badFragments: 0,
      ramp: typeof connections === 'number' ? undefined : new ConnectionRamp(connections),
      connections: typeof connections === 'number' ? connections : 1,
      slots: new Set(),
      receiving: new Set(),
    }));
  }

  /** Mirrors not dropped. */
  usable(): Mirror[] {
    return this.all.filter((m) => m.status !== 'dropped');
  }

  /** The earliest time a down mirror may be tried again. */
  nextRetryAt(): number {
    return Math.min(...this.usable().map((m) => m.retryAt));
  }

  /** The mirror holds the chosen file (its probe agreed): it serves from `identity.url`. */
  adopt(mirror: Mirror, identity: MirrorIdentity): void {
    mirror.identity = identity;
    mirror.url = identity.url;
    Object.assign(mirror, locate(identity.url));
    this.up(mirror);
  }

  up(mirror: Mirror): void {
    if (mirror.status === 'up' || mirror.status === 'dropped') return;
    const wasDown = mirror.status === 'down';
    mirror.status = 'up';
    mirror.everUp = true;
    mirror.retryAt = 0;
    if (wasDown) {
      this.#options.logger.info({ server: mirror.server }, 'mirror is back');
      this.#options.emit({ event: 'mirror-up', server: mirror.server, url: mirror.url });
    }
    if (this.#waitingSince !== undefined) {
      this.#waitingSince = undefined;
      this.#options.emit({ event: 'wait-over', server: mirror.server });
    }
  }

  /** A transient failure: the mirror backs off (at least `retryAfterMs`) and is retried. */
  failed(mirror: Mirror, reason: string, now: number, retryAfterMs?: number): void {
    if (mirror.status === 'dropped') return;
    if (mirror.ramp !== undefined) {
      mirror.ramp.reset();
      mirror.connections = mirror.ramp.target;
      mirror.receiving.clear();
    }
    const delay = Math.max(MIN_RETRY_MS, mirror.backoff.next(), retryAfterMs ?? 0);
    mirror.retryAt = now + delay;
    if (mirror.status !== 'down') {
      mirror.status = 'down';
      this.#options.logger.info({ server: mirror.server, reason }, 'mirror failed');
      this.#options.emit({
        event: 'mirror-down',
        server: mirror.server,
        url: mirror.url,
        reason,
        retryInMs: Math.round(delay),
      });
    }
    this.checkLeft(now);
  }

  /** A fragment from the mirror did verify: its failures so far are forgiven. */
  served(mirror: Mirror): void {
    mirror.backoff.reset();
  }

  /** A fragment from the mirror failed verification; the second one drops it. */
  badFragment(mirror: Mirror, index: number, now: number): void {
    mirror.badFragments++;
    this.#options.logger.info(
      { server: mirror.server, fragment: index },
      'fragment failed verification',
    );
    this.#options.emit({
      event: 'fragment-corrupt',
      server: mirror.server,
      url: mirror.url,
      index,
    });
    if (mirror.badFragments >= MAX_BAD_FRAGMENTS) {
      this.drop(mirror, `${mirror.badFragments} fragments failed SHA-256 verification`, false, now);
    }
  }

  /** The mirror holds another file than the chosen one: it is named and left out. */
  reject(mirror: Mirror, reason: string, now: number): void {
    this.#options.emit({
      event: 'mirror-rejected',
      server: mirror.server,
      url: mirror.url,
      reason,
    });
    this.drop(mirror, `disagrees with the other mirrors: ${reason}`, false, now, false);
  }

  /** For good. `forHttpStatus`: an HTTP status was the reason (e.g. 404). */
  drop(mirror: Mirror, reason: string, forHttpStatus: boolean, now: number, announce = true): void {
    if (mirror.status === 'dropped') return;
    mirror.status = 'dropped';
    mirror.dropReason = reason;
    mirror.dropForHttpStatus = forHttpStatus;
    this.#options.logger.info({ server: mirror.server, reason }, 'mirror dropped');
    if (announce) {
      this.#options.emit({
        event: 'mirror-dropped',
        server: mirror.server,
        url: mirror.url,
        reason,
      });
    }
    this.#options.onDropped(mirror);
    this.checkLeft(now);
  }

  /** Every mirror dropped: fail. Every remaining mirror down: start the wait clock. */
  checkLeft(now: number): void {
    const left = this.usable();
    if (left.length === 0) {
      const reasons = this.all.map((m) => `Server ${m.server} (${m.url}): ${m.dropReason}`);
      this.#options.onExhausted(
        new NoMirrorLeftError(
          `no usable mirror left:\n  ${reasons.join('\n  ')}`,
          this.all.every((m) => m.dropForHttpStatus),
        ),
      );
      return;
    }
    const anyAlive = left.some((m) => m.status === 'up' || m.status === 'unknown');
    if (!anyAlive && this.#waitingSince === undefined) {
      this.#waitingSince = now;
      this.#options.emit({ event: 'waiting', waitMs: this.#options.waitMs });
    }
  }

  /**
   * The error to fail with once every mirror has been down for `waitMs`; `partPath` (once the
   * download started) is where the partial download is kept.
   */
  waitExpired(now: number, partPath: string | undefined): ServersLostError | undefined {
    const waitMs = this.#options.waitMs;
    if (this.#waitingSince === undefined || now - this.#waitingSince < waitMs) return undefined;
    return new ServersLostError({
      everConnected: this.all.some((m) => m.everUp),
      waitMs,
      partPath,
      urls: this.all.map((m) => m.url),
    });
  }
}
