import { createSeededRandom, createStrategy } from '@lb/ranking';
import { describe, expect, it } from 'vitest';
import { probeOk, spec } from '../test/pool-fixtures.js';
import { DuplicateServerError } from './errors.js';
import { ServerPool } from './server-pool.js';

function newPool(): ServerPool {
  const strategy = createStrategy('random', {}, { random: createSeededRandom(7) });
  let clock = 0;
  return new ServerPool(strategy, { now: () => ++clock, wallClock: () => 1_700_000_000_000 });
}

describe('ServerPool', () => {
  it('sends no traffic to pending or down servers', () => {
    const pool = newPool();
    pool.add(spec('127.0.0.1:1'));
    expect(pool.pick('/a')).toBeUndefined();
    pool.recordProbe('127.0.0.1:1', probeOk('127.0.0.1:1', 10));
    pool.setState('127.0.0.1:1', 'up');
    expect(pool.pick('/a')?.id).toBe('127.0.0.1:1');
    pool.setState('127.0.0.1:1', 'down');
    expect(pool.pick('/a')).toBeUndefined();
    expect(pool.strategy.endpoints).toEqual([]);
  });

  it('ranks live servers by their last probe, fastest first', () => {
    const pool = newPool();
    for (const [port, ms] of [
      [1, 30],
      [2, 10],
      [3, 20],
    ] as const) {
      const id = `127.0.0.1:${port}`;
      pool.add(spec(id));
      pool.recordProbe(id, probeOk(id, ms));
      pool.setState(id, 'up');
    }
    expect(pool.ranked().map((server) => server.id)).toEqual([
      '127.0.0.1:2',
      '127.0.0.1:3',
      '127.0.0.1:1',
    ]);
    pool.recordProbe('127.0.0.1:1', probeOk('127.0.0.1:1', 1));
    expect(pool.ranked()[0]?.id).toBe('127.0.0.1:1');
    pool.setState('127.0.0.1:2', 'down');
    expect(pool.ranked().map((server) => server.id)).toEqual(['127.0.0.1:1', '127.0.0.1:3']);
    expect(pool.get('127.0.0.1:1')?.lastProbeAt).toBe(1_700_000_000_000);
  });

  it('numbers machines per region for good and routes within a region', () => {
    const pool = newPool();
    for (const line of [
      '127.0.0.1:1 region=eu',
      '127.0.0.1:2 region=us',
      '127.0.0.1:3 region=eu',
    ]) {
      const id = line.split(' ')[0]!;
      pool.add(spec(line));
      pool.recordProbe(id, probeOk(id, 5));
      pool.setState(id, 'up');
    }
    expect(pool.region('eu')?.map((server) => [server.id, server.machine])).toEqual([
      ['127.0.0.1:1', 1],
      ['127.0.0.1:3', 2],
    ]);
    expect(pool.region('asia')).toBeUndefined();
    for (let i = 0; i < 50; i++) expect(pool.pick(`/f${i}`, 'us')?.id).toBe('127.0.0.1:2');
    pool.remove('127.0.0.1:1');
    pool.add(spec('127.0.0.1:4 region=eu'));
    expect(pool.region('eu')?.map((server) => [server.id, server.machine])).toEqual([
      ['127.0.0.1:3', 2],
      ['127.0.0.1:4', 3],
    ]);
    pool.setState('127.0.0.1:2', 'down');
    expect(pool.pick('/x', 'us')).toBeUndefined();
    expect(pool.pick('/x', 'eu')?.id).toBe('127.0.0.1:3');
  });

  it('refuses a duplicate and forgets removed servers', () => {
    const pool = newPool();
    pool.add(spec('127.0.0.1:1'));
    expect(() => pool.add(spec('127.0.0.1:1'))).toThrow(DuplicateServerError);
    pool.setState('127.0.0.1:1', 'up');
    expect(pool.remove('127.0.0.1:1')?.id).toBe('127.0.0.1:1');
    expect(pool.remove('127.0.0.1:1')).toBeUndefined();
    expect(pool.strategy.endpoints).toEqual([]);
    expect(pool.size).toBe(0);
  });

  it('notifies listeners of changes', () => {
    const pool = newPool();
    let changes = 0;
    const off = pool.onChange(() => changes++);
    pool.add(spec('127.0.0.1:1'));
    pool.setState('127.0.0.1:1', 'up');
    pool.setState('127.0.0.1:1', 'up');
    off();
    pool.remove('127.0.0.1:1');
    expect(changes).toBe(2);
  });
});
