/**
 * `connections: 'auto'`: one ConnectionRamp per mirror (connection-ramp.ts), fed on every chunk
 * and every tick, under two limits over the whole download: a total connection cap, and growth
 * only while at least a second of work is left at the current speed (near the end, or for a small
 * file, new connections would only split the last fragments and add endgame copies).
 */
import type { ConnectionRampOptions } from './connection-ramp.js';
import type { DownloadLogger } from './logger.js';
import type { Mirror } from './mirror-set.js';

/**
 * Up to 4 per mirror (browsers allow 6 per host); each count measured over 1 MiB per connection
 * or 100 ms, whichever comes first, but at least 50 ms; a doubling kept when it brought 60 % more:
 * a noisy window on a busy machine must not pass for a gain (docs/apps/client.md).
 */
export const AUTO_CONNECTIONS: ConnectionRampOptions = Object.freeze({
  max: 4,
  windowBytes: 1024 * 1024,
  windowMs: 100,
  minWindowMs: 50,
  minGain: 1.6,
});
/** No more connections than this over all mirrors. */
const AUTO_TOTAL_MAX = 16;
/** Connections are only added while this much work is left at the current speed... */
const RAMP_MIN_WORK_LEFT_MS = 1000;
/** ...measured over about this long. */
const RAMP_RATE_SPAN_MS = 500;

export class ConnectionAutoscaler {
  readonly #mirrors: readonly Mirror[];
  readonly #logger: DownloadLogger;
  /** Starts the workers of a mirror whose connection count grew. */
  readonly #staff: (mirror: Mirror) => void;
  /** Total bytes received at recent ticks, for the speed estimate. */
  readonly #recentBytes: Array<{ at: number; bytes: number }> = [];
  /** Whether ramps may still add connections; false until the first tick. */
  #workLeft = false;

  constructor(mirrors: readonly Mirror[], logger: DownloadLogger, staff: (mirror: Mirror) => void) {
    this.#mirrors = mirrors;
    this.#logger = logger;
    this.#staff = staff;
  }

  /** Every tick: judges the work left (`missingBytes` not yet verified), then feeds every ramp. */
  tick(now: number, missingBytes: number): void {
    let received = 0;
    for (const mirror of this.#mirrors) received += mirror.bytesReceived;
    const recent = this.#recentBytes;
    recent.push({ at: now, bytes: received });
    while (recent.length > 2 && now - recent[1]!.at >= RAMP_RATE_SPAN_MS) recent.shift();
    const first = recent[0]!;
    const bytesPerMs = now > first.at ? (received - first.bytes) / (now - first.at) : 0;
    this.#workLeft = missingBytes > bytesPerMs * RAMP_MIN_WORK_LEFT_MS;
    for (const mirror of this.#mirrors) this.sample(mirror, now);
  }

  /** Feeds the mirror's ramp (on every chunk received and every tick). */
  sample(mirror: Mirror, now: number): void {
    const ramp = mirror.ramp;
    if (ramp === undefined || ramp.settled || mirror.status !== 'up') return;
    let total = 0;
    for (const other of this.#mirrors) total += other.connections;
    const before = mirror.connections;
    let receiving = 0;
    for (const slot of mirror.receiving) if (slot < before) receiving++;
    const canGrow = this.#workLeft && total + before <= AUTO_TOTAL_MAX;
    mirror.connections = ramp.sample(now, mirror.bytesReceived, receiving >= before, canGrow);
    if (mirror.connections === before) return;
    this.#logger.info(
      { server: mirror.server, from: before, to: mirror.connections },
      'connections per server changed',
    );
    this.#staff(mirror);
  }
}
