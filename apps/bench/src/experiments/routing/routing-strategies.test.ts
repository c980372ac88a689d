import { describe, expect, it } from 'vitest';
import { ROUTING_STRATEGY_NAMES } from '../../bench-options.js';
import { bestRegionByProbes, ROUTING_STRATEGIES, routePath } from './routing-strategies.js';

describe('routing strategies', () => {
  it('defines every strategy the CLI offers', () => {
    expect(Object.keys(ROUTING_STRATEGIES).sort()).toEqual([...ROUTING_STRATEGY_NAMES].sort());
  });

  it('maps scopes to the balancer URL shapes', () => {
    expect(routePath('any', 'A', 'payload.bin')).toBe('/payload.bin');
    expect(routePath('best-region', 'eu', 'payload.bin')).toBe('/r/eu/payload.bin');
    expect(routePath('best-region-first-machine', 'eu', 'payload.bin')).toBe('/r/eu/1/payload.bin');
  });
});

describe('bestRegionByProbes', () => {
  const probe = (totalMs: number) => ({ ok: true, totalMs });
  it('picks the region with the lowest median probe time, ignoring failed probes', () => {
    expect(
      bestRegionByProbes([
        { region: 'far', lastProbe: probe(150) },
        { region: 'near', lastProbe: probe(12) },
        { region: 'near', lastProbe: probe(300) },
        { region: 'near', lastProbe: probe(11) },
        { region: 'mid', lastProbe: { ok: false, totalMs: 1 } },
        { region: null, lastProbe: probe(1) },
      ]),
    ).toBe('near');
  });

  it('is undefined when no region has a good probe', () => {
    expect(bestRegionByProbes([{ region: 'a', lastProbe: null }])).toBeUndefined();
  });
});
