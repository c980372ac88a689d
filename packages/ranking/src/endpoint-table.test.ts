import { describe, expect, it } from 'vitest';
import { endpoints, errorCode } from '../test/strategy-helpers.js';
import { EndpointTable, normalizeEndpoint } from './endpoint-table.js';
import { InvalidEndpointError } from './errors.js';
import type { Endpoint } from './types.js';

function counterTable(): EndpointTable<{ samples: number }> {
  return new EndpointTable(() => ({ samples: 0 }));
}

describe('EndpointTable', () => {
  it('keeps a frozen, normalised snapshot (weight defaults to 1)', () => {
    const table = counterTable();
    table.setEndpoints([{ id: 'a', address: 'http://a' } as Endpoint]);
    expect(table.endpoints).toEqual([{ id: 'a', address: 'http://a', weight: 1 }]);
    expect(Object.isFrozen(table.endpoints)).toBe(true);
    expect(Object.isFrozen(table.endpoints[0])).toBe(true);
  });

  it('does not keep references to the caller objects', () => {
    const table = counterTable();
    const input = endpoints(['a']);
    table.setEndpoints(input);
    (input[0] as { weight: number }).weight = 7;
    expect(table.endpoints[0]!.weight).toBe(1);
  });

  it('update keeps state, remove drops it, setEndpoints keeps it for ids that stay', () => {
    const table = counterTable();
    table.setEndpoints(endpoints(['a', 'b']));
    table.get('a')!.state.samples = 5;
    table.get('b')!.state.samples = 6;
    table.apply({ type: 'update', endpoint: { id: 'a', address: 'http://new', weight: 2 } });
    expect(table.get('a')).toMatchObject({ state: { samples: 5 }, endpoint: { weight: 2 } });
    table.setEndpoints(endpoints(['b', 'c']));
    expect(table.get('b')!.state.samples).toBe(6);
    expect(table.get('c')!.state.samples).toBe(0);
    expect(table.has('a')).toBe(false);
    table.apply({ type: 'remove', id: 'b' });
    table.apply({ type: 'add', endpoint: { id: 'b', address: 'x', weight: 1 } });
    expect(table.get('b')!.state.samples).toBe(0);
    expect(table.endpoints.map((e) => e.id)).toEqual(['c', 'b']);
  });

  it('bumps version on every membership change', () => {
    const table = counterTable();
    const v0 = table.version;
    table.setEndpoints(endpoints(['a']));
    table.apply({ type: 'add', endpoint: { id: 'b', address: 'x', weight: 1 } });
    expect(table.version).toBe(v0 + 2);
  });

  it.each([
    ['duplicate id', endpoints(['a', 'b', 'a'])],
    ['empty id', [{ id: '', address: 'x', weight: 1 }]],
    ['missing id', [{ address: 'x', weight: 1 }]],
    ['empty address', [{ id: 'a', address: '', weight: 1 }]],
    ['negative weight', [{ id: 'a', address: 'x', weight: -1 }]],
    ['NaN weight', [{ id: 'a', address: 'x', weight: Number.NaN }]],
    ['infinite weight', [{ id: 'a', address: 'x', weight: Number.POSITIVE_INFINITY }]],
    ['string weight', [{ id: 'a', address: 'x', weight: '2' }]],
    ['non-string region', [{ id: 'a', address: 'x', weight: 1, region: 5 }]],
    ['null entry', [null]],
  ])('rejects %s with LB_RANKING_INVALID_ENDPOINT and changes nothing', (_name, list) => {
    const table = counterTable();
    table.setEndpoints(endpoints(['keep']));
    table.get('keep')!.state.samples = 3;
    const before = table.endpoints;
    expect(errorCode(() => table.setEndpoints(list as Endpoint[]))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
    expect(table.endpoints).toBe(before);
    expect(table.get('keep')!.state.samples).toBe(3);
  });

  it('rejects inconsistent changes: add of an existing id, remove/update of an unknown id', () => {
    const table = counterTable();
    table.setEndpoints(endpoints(['a']));
    const before = table.endpoints;
    expect(
      errorCode(() => table.apply({ type: 'add', endpoint: { id: 'a', address: 'x', weight: 1 } })),
    ).toBe('LB_RANKING_INVALID_ENDPOINT');
    expect(errorCode(() => table.apply({ type: 'remove', id: 'zz' }))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
    expect(
      errorCode(() =>
        table.apply({ type: 'update', endpoint: { id: 'zz', address: 'x', weight: 1 } }),
      ),
    ).toBe('LB_RANKING_INVALID_ENDPOINT');
    expect(
      errorCode(() =>
        table.apply({ type: 'update', endpoint: { id: 'a', address: 'x', weight: -3 } }),
      ),
    ).toBe('LB_RANKING_INVALID_ENDPOINT');
    expect(errorCode(() => table.apply({ type: 'rename' } as never))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
    expect(table.endpoints).toBe(before);
  });

  it('the error names the endpoint and the reason', () => {
    const table = counterTable();
    try {
      table.setEndpoints(endpoints(['a', 'a']));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEndpointError);
      expect(error).toMatchObject({ endpointId: 'a', reason: 'duplicate id' });
      expect((error as Error).message).toBe('Invalid endpoint "a": duplicate id');
    }
  });

  it('candidates: no-endpoints, all-excluded, all-unavailable (drained or unavailable)', () => {
    const table = counterTable();
    expect(table.candidates(undefined)).toEqual({ ok: false, reason: 'no-endpoints' });
    table.setEndpoints(endpoints(['a', 'b', 'c'], [1, 0, 1]));
    expect(table.candidates(new Set(['a', 'b', 'c']))).toEqual({
      ok: false,
      reason: 'all-excluded',
    });
    expect(table.candidates(new Set(['a', 'c']))).toEqual({ ok: false, reason: 'all-unavailable' });
    expect(table.candidates(undefined, () => false)).toEqual({
      ok: false,
      reason: 'all-unavailable',
    });
    const ok = table.candidates(new Set(['a']));
    expect(ok.ok && ok.entries.map((entry) => entry.endpoint.id)).toEqual(['c']);
  });

  it('failureReason gives the same answer as candidates without building a list', () => {
    const table = counterTable();
    expect(table.failureReason(undefined)).toBe('no-endpoints');
    table.setEndpoints(endpoints(['a', 'b', 'c'], [1, 0, 1]));
    for (const [exclude, available] of [
      [new Set(['a', 'b', 'c']), undefined],
      [new Set(['a', 'c']), undefined],
      [undefined, () => false],
      [new Set(['a']), undefined],
      [undefined, undefined],
    ] as const) {
      const candidates = table.candidates(exclude, available);
      expect(table.failureReason(exclude, available)).toBe(
        candidates.ok ? undefined : candidates.reason,
      );
    }
  });

  it('eligible (weight > 0) is built once per membership change; picked results are frozen', () => {
    const table = counterTable();
    table.setEndpoints(endpoints(['a', 'b', 'c'], [1, 0, 2]));
    const eligible = table.eligible;
    expect(eligible.map((entry) => entry.endpoint.id)).toEqual(['a', 'c']);
    expect(table.eligible).toBe(eligible);
    expect(Object.isFrozen(eligible)).toBe(true);
    const a = table.get('a')!;
    expect(a.picked).toEqual({ ok: true, endpoint: a.endpoint });
    expect(Object.isFrozen(a.picked)).toBe(true);
    table.apply({ type: 'update', endpoint: { id: 'b', address: 'x', weight: 1 } });
    expect(table.eligible).not.toBe(eligible);
    expect(table.eligible.map((entry) => entry.endpoint.id)).toEqual(['a', 'b', 'c']);
    expect(table.get('b')!.picked.endpoint.address).toBe('x');
  });

  it('normalizeEndpoint keeps region', () => {
    expect(normalizeEndpoint({ id: 'a', address: 'x', weight: 0, region: 'eu' })).toEqual({
      id: 'a',
      address: 'x',
      weight: 0,
      region: 'eu',
    });
  });
});
