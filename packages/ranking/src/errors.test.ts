import { describe, expect, it } from 'vitest';
import {
  InvalidEndpointError,
  InvalidSampleError,
  InvalidSeedError,
  InvalidStrategyOptionError,
  RankingError,
  UnknownStrategyError,
} from './errors.js';

describe('errors', () => {
  it('every error is a RankingError with a literal LB_RANKING_ code and its own name', () => {
    const cases: [RankingError, string, string][] = [
      [new UnknownStrategyError('x', ['a']), 'LB_RANKING_UNKNOWN_STRATEGY', 'UnknownStrategyError'],
      [
        new InvalidStrategyOptionError('o', 1, 'why'),
        'LB_RANKING_INVALID_OPTION',
        'InvalidStrategyOptionError',
      ],
      [new InvalidEndpointError('e', 'why'), 'LB_RANKING_INVALID_ENDPOINT', 'InvalidEndpointError'],
      [new InvalidSampleError('f', 1, 'why'), 'LB_RANKING_INVALID_SAMPLE', 'InvalidSampleError'],
      [new InvalidSeedError(1.5), 'LB_RANKING_INVALID_SEED', 'InvalidSeedError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(RankingError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
    }
    expect(new RankingError('LB_RANKING_ERROR', 'm').code).toBe('LB_RANKING_ERROR');
  });

  it('messages carry the payload', () => {
    expect(new UnknownStrategyError('nope', ['a', 'b']).message).toBe(
      'Unknown strategy "nope"; valid strategies: a, b',
    );
    expect(new InvalidStrategyOptionError('tauMs', 'x', 'must be a finite number').message).toBe(
      'Invalid option "tauMs" ("x"): must be a finite number',
    );
    expect(new InvalidEndpointError(undefined, 'id must be a non-empty string').message).toBe(
      'Invalid endpoint: id must be a non-empty string',
    );
  });
});
