/** Unit-test fixtures for the server pool: specs from server lines, successful probes, live pools. */
import type { ProbeResult } from '@lb/probe';
import { createSeededRandom, createStrategy } from '@lb/ranking';
import { ServerPool } from '../src/server-pool.js';
import { parseServerLine, type ServerSpec } from '../src/server-spec.js';

/** The spec of a valid server line (`host:port`, with any attributes). */
export function spec(line: string): ServerSpec {
  const result = parseServerLine(line);
  if (!result.ok) throw new Error(result.problem);
  return result.spec;
}

/** A successful probe of `target`: 1000 bytes in `totalMs`. */
export function probeOk(target: string, totalMs: number): ProbeResult {
  return {
    ok: true,
    target,
    status: 200,
    connectMs: 1,
    ttfbMs: 2,
    totalMs,
    bytes: 1000,
    bytesPerSec: 1e6 / totalMs,
    samples: 1,
  };
}

/** A pool over `strategy` (seed 1) holding `servers` (line, probe time), each probed and up. */
export function livePool(servers: Array<[string, number]>, strategy = 'round-robin'): ServerPool {
  const pool = new ServerPool(createStrategy(strategy, {}, { random: createSeededRandom(1) }));
  for (const [line, ms] of servers) {
    const { id } = pool.add(spec(line));
    pool.recordProbe(id, probeOk(id, ms));
    pool.setState(id, 'up');
  }
  return pool;
}
