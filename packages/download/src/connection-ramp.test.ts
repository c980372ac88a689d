import { describe, expect, it } from 'vitest';
import { ConnectionRamp, type ConnectionRampOptions } from './connection-ramp.js';

// Windows close at 100 ms here: the byte rule is tested on its own below.
const OPTIONS: ConnectionRampOptions = {
  max: 4,
  windowBytes: Number.POSITIVE_INFINITY,
  windowMs: 100,
  minWindowMs: 50,
  minGain: 1.4,
};

/**
 * Drives a ramp against a mirror whose throughput (bytes/ms) is `rateFor(connections)`, sampling
 * every `tickMs` like the engine; returns the targets it went through.
 */
interface DriveOptions {
  options?: ConnectionRampOptions;
  ticks?: number;
  tickMs?: number;
  canGrow?: (tick: number) => boolean;
}

function drive(
  rateFor: (connections: number) => number,
  { options = OPTIONS, ticks = 40, tickMs = 50, canGrow = () => true }: DriveOptions = {},
): { ramp: ConnectionRamp; targets: number[] } {
  const ramp = new ConnectionRamp(options);
  const targets = [ramp.target];
  let bytes = 0;
  for (let tick = 1; tick <= ticks; tick++) {
    bytes += rateFor(ramp.target) * tickMs;
    const target = ramp.sample(tick * tickMs, bytes, true, canGrow(tick));
    if (target !== targets.at(-1)) targets.push(target);
  }
  return { ramp, targets };
}

describe('ConnectionRamp', () => {
  it('doubles up to max against a per-connection limit (nginx limit_rate)', () => {
    const { ramp, targets } = drive((n) => 2000 * n);
    expect(targets).toEqual([1, 2, 4]);
    expect(ramp.settled).toBe(true);
  });

  it('goes back to one connection against a per-server limit (lb-server --rate)', () => {
    const { ramp, targets } = drive(() => 16_000);
    expect(targets).toEqual([1, 2, 1]);
    expect(ramp.settled).toBe(true);
    expect(ramp.target).toBe(1);
  });

  it('keeps the last count that paid when the next doubling does not', () => {
    // Two connections double the speed; the server's own limit is reached at two.
    const { targets } = drive((n) => 1000 * Math.min(n, 2));
    expect(targets).toEqual([1, 2, 4, 2]);
  });

  it('a gain below minGain does not count', () => {
    const { targets } = drive((n) => (n === 1 ? 1000 : 1300));
    expect(targets).toEqual([1, 2, 1]);
  });

  it('judges a last step short of a doubling by the same share of its proportional gain', () => {
    // max 3: 2 -> 3 is a 1.5x step, so it needs 1 + 0.4 * 0.5 = 1.2x.
    const options = { ...OPTIONS, max: 3 };
    expect(drive((n) => 1000 * n, { options }).targets).toEqual([1, 2, 3]);
    expect(drive((n) => (n < 3 ? 1000 * n : 2300), { options }).targets).toEqual([1, 2, 3, 2]);
  });

  it('measures nothing while it may not grow, then resumes where it was', () => {
    const { targets } = drive((n) => 2000 * n, { canGrow: (tick) => tick > 20 });
    expect(targets).toEqual([1, 2, 4]);
    const held = drive((n) => 2000 * n, { canGrow: () => false });
    expect(held.targets).toEqual([1]);
    expect(held.ramp.settled).toBe(false);
  });

  it('waits a full window before judging (the first sample after a change only starts it)', () => {
    const ramp = new ConnectionRamp(OPTIONS);
    expect(ramp.sample(0, 0, true, true)).toBe(1); // starts the window
    expect(ramp.sample(99, 99_000, true, true)).toBe(1); // 99 ms < windowMs
    expect(ramp.sample(100, 100_000, true, true)).toBe(2);
    expect(ramp.sample(150, 150_000, true, true)).toBe(2); // starts the next window
    expect(ramp.sample(249, 400_000, true, true)).toBe(2);
    expect(ramp.sample(250, 500_000, true, true)).toBe(4);
  });

  it('opens a window only once every connection of the count is receiving', () => {
    const ramp = new ConnectionRamp(OPTIONS);
    ramp.sample(0, 0, true, true);
    expect(ramp.sample(100, 100_000, true, true)).toBe(2);
    // The second connection is still connecting: its handshake must not count against it.
    expect(ramp.sample(150, 150_000, false, true)).toBe(2);
    expect(ramp.sample(300, 300_000, false, true)).toBe(2);
    expect(ramp.sample(310, 310_000, true, true)).toBe(2); // opens here
    expect(ramp.sample(410, 510_000, true, true)).toBe(4); // 2000 B/ms: doubled
  });

  it('closes a window after windowBytes per connection, but not before minWindowMs', () => {
    const ramp = new ConnectionRamp({ ...OPTIONS, windowBytes: 64_000 });
    ramp.sample(0, 0, true, true);
    // 64 kB arrived after 10 ms: too soon to call it a rate.
    expect(ramp.sample(10, 64_000, true, true)).toBe(1);
    expect(ramp.sample(50, 320_000, true, true)).toBe(2);
    ramp.sample(51, 320_000, true, true);
    // Two connections need 128 kB: 100 kB after 60 ms is not enough yet, 700 kB at 70 ms is.
    expect(ramp.sample(111, 420_000, true, true)).toBe(2);
    expect(ramp.sample(121, 1_020_000, true, true)).toBe(4);
  });

  it('reset() starts over from one connection', () => {
    const { ramp } = drive((n) => 2000 * n);
    expect(ramp.target).toBe(4);
    ramp.reset();
    expect(ramp.target).toBe(1);
    expect(ramp.settled).toBe(false);
  });

  it('max 1 never probes', () => {
    const { ramp, targets } = drive((n) => 2000 * n, { options: { ...OPTIONS, max: 1 } });
    expect(targets).toEqual([1]);
    expect(ramp.settled).toBe(true);
  });
});
