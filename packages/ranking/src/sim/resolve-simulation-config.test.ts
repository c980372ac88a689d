import { describe, expect, it } from 'vitest';
import { SimulationConfigError } from '../errors.js';
import { resolveSimulationConfig } from './resolve-simulation-config.js';
import { simulate } from './simulate.js';
import type { SimulationConfig } from './simulation-config.js';

const valid: SimulationConfig = {
  servers: [{ serviceTime: { kind: 'constant', ms: 1 } }],
  selector: { kind: 'strategy', name: 'random' },
  arrivals: { kind: 'fixed', requests: 1 },
};

/** `valid` with `patch` merged at the top level; `unknown` because bad configs are the point. */
function withPatch(patch: Record<string, unknown>): SimulationConfig {
  return { ...valid, ...patch } as unknown as SimulationConfig;
}

describe('resolveSimulationConfig', () => {
  it('fills in every default', () => {
    const resolved = resolveSimulationConfig({
      ...valid,
      probes: { intervalMs: 500 },
    });
    expect(resolved).toEqual({
      seed: 1,
      servers: [
        {
          id: 's0',
          weight: 1,
          region: undefined,
          serviceTime: { kind: 'constant', ms: 1 },
          concurrency: 1,
          rttMs: 0,
          disruptions: [],
        },
      ],
      selector: { kind: 'strategy', name: 'random', options: {} },
      arrivals: { kind: 'fixed', requests: 1 },
      hashKeys: undefined,
      requestTimeoutMs: Number.POSITIVE_INFINITY,
      probes: { intervalMs: 500, bytes: 65536, timeoutMs: 500 },
      warmupMs: 0,
      trafficBucketMs: 1000,
    });
  });

  const server = (extra: Record<string, unknown>) => ({
    servers: [{ serviceTime: { kind: 'constant', ms: 1 }, ...extra }],
  });
  const down = (extra: Record<string, unknown> = {}) => ({
    kind: 'down',
    fromMs: 0,
    untilMs: 10,
    ...extra,
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['a seed that is not an integer', { seed: 1.5 }, 'seed'],
    ['no servers', { servers: [] }, 'servers'],
    ['servers not an array', { servers: {} }, 'servers'],
    ['a server that is not an object', { servers: [42] }, 'servers[0]'],
    [
      'a duplicate id',
      {
        servers: [
          { id: 'a', serviceTime: { kind: 'constant', ms: 1 } },
          { id: 'a', serviceTime: { kind: 'constant', ms: 1 } },
        ],
      },
      'servers[1].id',
    ],
    ['an empty id', server({ id: '' }), 'servers[0].id'],
    ['a negative weight', server({ weight: -1 }), 'servers[0].weight'],
    ['a region that is not a string', server({ region: 3 }), 'servers[0].region'],
    ['a missing service time', { servers: [{}] }, 'servers[0].serviceTime'],
    ['zero concurrency', server({ concurrency: 0 }), 'servers[0].concurrency'],
    ['fractional concurrency', server({ concurrency: 1.5 }), 'servers[0].concurrency'],
    ['a negative rtt', server({ rttMs: -1 }), 'servers[0].rttMs'],
    ['disruptions not an array', server({ disruptions: {} }), 'servers[0].disruptions'],
    [
      'an unknown disruption',
      server({ disruptions: [{ kind: 'flaky', fromMs: 0, untilMs: 1 }] }),
      'servers[0].disruptions[0].kind',
    ],
    [
      'an empty window',
      server({ disruptions: [down({ untilMs: 0 })] }),
      'servers[0].disruptions[0].untilMs',
    ],
    [
      'a negative start',
      server({ disruptions: [down({ fromMs: -5 })] }),
      'servers[0].disruptions[0].fromMs',
    ],
    [
      'an unknown down mode',
      server({ disruptions: [down({ mode: 'sulk' })] }),
      'servers[0].disruptions[0].mode',
    ],
    [
      'a black hole without a request timeout',
      server({ disruptions: [down({ mode: 'black-hole' })] }),
      'servers[0].disruptions[0].mode',
    ],
    [
      'overlapping down windows',
      server({ disruptions: [down({ fromMs: 5, untilMs: 20 }), down()] }),
      'servers[0].disruptions[0]',
    ],
    [
      'overlapping pinned windows',
      server({
        disruptions: [
          { kind: 'pinned', fromMs: 0, untilMs: 10, latencyMs: 1 },
          { kind: 'pinned', fromMs: 9, untilMs: 12, latencyMs: 1 },
        ],
      }),
      'servers[0].disruptions[1]',
    ],
    [
      'a zero slow factor',
      server({ disruptions: [{ kind: 'slow', fromMs: 0, untilMs: 10, factor: 0 }] }),
      'servers[0].disruptions[0].factor',
    ],
    [
      'a negative pinned latency',
      server({ disruptions: [{ kind: 'pinned', fromMs: 0, untilMs: 10, latencyMs: -1 }] }),
      'servers[0].disruptions[0].latencyMs',
    ],
    ['no selector', { selector: undefined }, 'selector'],
    ['an unknown selector kind', { selector: { kind: 'magic' } }, 'selector.kind'],
    [
      'an unregistered strategy',
      { selector: { kind: 'strategy', name: 'psychic' } },
      'selector.name',
    ],
    [
      'strategy options that are not an object',
      { selector: { kind: 'strategy', name: 'random', options: 3 } },
      'selector.options',
    ],
    ['a factory without create', { selector: { kind: 'factory' } }, 'selector.create'],
    ['no arrivals', { arrivals: undefined }, 'arrivals'],
    ['zero requests', { arrivals: { kind: 'fixed', requests: 0 } }, 'arrivals.requests'],
    ['bad hash keys', { hashKeys: { kind: 'zipf', keys: 10 } }, 'hashKeys.exponent'],
    ['a zero request timeout', { requestTimeoutMs: 0 }, 'requestTimeoutMs'],
    ['a probe interval of zero', { probes: { intervalMs: 0 } }, 'probes.intervalMs'],
    ['a negative probe size', { probes: { intervalMs: 10, bytes: -1 } }, 'probes.bytes'],
    ['a zero probe timeout', { probes: { intervalMs: 10, timeoutMs: 0 } }, 'probes.timeoutMs'],
    ['a negative warm-up', { warmupMs: -1 }, 'warmupMs'],
    ['a zero traffic bucket', { trafficBucketMs: 0 }, 'trafficBucketMs'],
  ];

  it.each(bad)('rejects %s (LB_RANKING_SIM_CONFIG at %s)', (_label, patch, path) => {
    let caught: unknown;
    try {
      simulate(withPatch(patch));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SimulationConfigError);
    expect(caught).toMatchObject({ code: 'LB_RANKING_SIM_CONFIG', path });
  });

  it('rejects a config that is not an object', () => {
    expect(() => simulate(null as unknown as SimulationConfig)).toThrow(
      expect.objectContaining({ code: 'LB_RANKING_SIM_CONFIG', path: 'config' }),
    );
  });

  it("lets the registry reject a strategy's bad options with its own code", () => {
    expect(() =>
      simulate(withPatch({ selector: { kind: 'strategy', name: 'random', options: { nope: 1 } } })),
    ).toThrow(expect.objectContaining({ code: 'LB_RANKING_INVALID_OPTION' }));
  });

  it('does not modify the config it validates', () => {
    const config = structuredClone(withPatch({ probes: { intervalMs: 5 } }));
    const before = structuredClone(config);
    simulate(config);
    expect(config).toEqual(before);
  });
});
