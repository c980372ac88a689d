import { describe, expect, it } from 'vitest';
import { BenchOptionError } from './bench-errors.js';
import {
  DEFAULTS,
  EXPERIMENT_NAMES,
  machinesOf,
  parseByteSize,
  parseHashVariant,
  parseRegion,
  ROUTING_STRATEGY_NAMES,
  resolveBenchOptions,
} from './bench-options.js';

describe('resolveBenchOptions', () => {
  it('uses the full defaults without flags', () => {
    const options = resolveBenchOptions({});
    expect(options.quick).toBe(false);
    expect(options.experiments).toEqual([...EXPERIMENT_NAMES]);
    expect(options.routing.regions).toEqual([
      { name: 'A', machines: 3, latencyMs: 10 },
      { name: 'B', machines: 2, latencyMs: 60 },
      { name: 'C', machines: 1, latencyMs: 150 },
    ]);
    expect(options.routing.rates).toEqual(Array.from({ length: 6 }, () => DEFAULTS.rate));
    expect(options.routing.requests).toBe(DEFAULTS.requests.full);
    expect(options.routing.fileSizeBytes).toBe(64 * 1024);
    expect(options.routing.strategies).toEqual([...ROUTING_STRATEGY_NAMES]);
    expect(options.hashing.requests).toBe(10_000);
    expect(options.hashing.variants[0]).toEqual({ hash: 'murmur3', vnodes: 160 });
    expect(options.failover.kills).toBe(DEFAULTS.kills.full);
  });

  it('switches to the quick defaults with --quick, but explicit flags still win', () => {
    const quick = resolveBenchOptions({ quick: true });
    expect(quick.routing.requests).toBe(DEFAULTS.requests.quick);
    expect(quick.hashing.requests).toBe(DEFAULTS.hashRequests.quick);
    expect(quick.hashing.variants).toHaveLength(DEFAULTS.hashVariants.quick.length);
    const explicit = resolveBenchOptions({ quick: true, requests: 123, hashRequests: 456 });
    expect(explicit.routing.requests).toBe(123);
    expect(explicit.hashing.requests).toBe(456);
  });

  it('expands one rate to every machine, takes one per machine, or none', () => {
    expect(resolveBenchOptions({ rate: ['1M'] }).routing.rates).toHaveLength(6);
    const perMachine = ['1M', '2M', '3M', '4M', '5M', '6M'];
    expect(resolveBenchOptions({ rate: perMachine }).routing.rates).toEqual(perMachine);
    expect(resolveBenchOptions({ rate: ['none'] }).routing.rates).toBeUndefined();
    expect(() => resolveBenchOptions({ rate: ['1M', '2M'] })).toThrow(
      /one per machine \(6\), got 2/,
    );
    expect(() => resolveBenchOptions({ rate: ['fast'] })).toThrow(BenchOptionError);
  });

  it('selects experiments and strategies, refusing unknown names', () => {
    expect(resolveBenchOptions({ only: ['failover', 'routing'] }).experiments).toEqual([
      'failover',
      'routing',
    ]);
    expect(() => resolveBenchOptions({ only: ['nope'] })).toThrow(/unknown "nope"/);
    expect(() => resolveBenchOptions({ strategies: ['magic'] })).toThrow(/--strategies/);
  });

  it('refuses bad numbers with the flag name', () => {
    expect(() => resolveBenchOptions({ concurrency: 0 })).toThrow(/--concurrency/);
    expect(() => resolveBenchOptions({ requests: 1.5 })).toThrow(/--requests/);
    expect(() => resolveBenchOptions({ minReplicas: 4, maxReplicas: 4 })).toThrow(/--max-replicas/);
    expect(() => resolveBenchOptions({ probeInterval: 0 })).toThrow(/--probe-interval/);
    expect(() => resolveBenchOptions({ regions: ['A:1:1', 'A:2:2'] })).toThrow(/names must differ/);
  });
});

describe('parsers', () => {
  it('parses regions', () => {
    expect(parseRegion('eu-west:4:25')).toEqual({ name: 'eu-west', machines: 4, latencyMs: 25 });
    expect(() => parseRegion('A:0:10')).toThrow(/needs a machine/);
    expect(() => parseRegion('A-3-10')).toThrow(/NAME:MACHINES:LATENCY_MS/);
  });

  it('parses sizes in binary units', () => {
    expect(parseByteSize('file-size', '64K')).toBe(65_536);
    expect(parseByteSize('file-size', '1.5M')).toBe(1_572_864);
    expect(parseByteSize('file-size', '100')).toBe(100);
    expect(() => parseByteSize('file-size', '0')).toThrow(BenchOptionError);
    expect(() => parseByteSize('file-size', '1T')).toThrow(/not a size/);
  });

  it('parses hash variants', () => {
    expect(parseHashVariant('fnv1a:20')).toEqual({ hash: 'fnv1a', vnodes: 20 });
    expect(() => parseHashVariant('md5:20')).toThrow(/HASH:VNODES/);
    expect(() => parseHashVariant('murmur3:0')).toThrow(BenchOptionError);
  });

  it('labels machines by region and number', () => {
    expect(machinesOf([parseRegion('A:2:10'), parseRegion('B:1:60')])).toEqual([
      { label: 'A1', region: 'A', machine: 1, latencyMs: 10 },
      { label: 'A2', region: 'A', machine: 2, latencyMs: 10 },
      { label: 'B1', region: 'B', machine: 1, latencyMs: 60 },
    ]);
  });
});
