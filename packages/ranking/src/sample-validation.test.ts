import { describe, expect, it } from 'vitest';
import { errorCode } from '../test/strategy-helpers.js';
import { InvalidSampleError } from './errors.js';
import { validateOutcome, validateSample } from './sample-validation.js';
import type { Sample } from './types.js';

describe('validateSample / validateOutcome', () => {
  it('accepts well-formed samples', () => {
    const good: Sample[] = [
      { kind: 'probe', ok: true, totalMs: 0, bytes: 0, bytesPerSec: 0 },
      { kind: 'probe', ok: false },
      { kind: 'request', ok: false, latencyMs: 3 },
    ];
    for (const sample of good) expect(() => validateSample(sample, 0)).not.toThrow();
    expect(() => validateOutcome({ ok: true, latencyMs: 1, now: -5 })).not.toThrow();
  });

  it.each([
    ['NaN totalMs', { kind: 'probe', ok: true, totalMs: Number.NaN, bytes: 1, bytesPerSec: 1 }],
    ['negative bytes', { kind: 'probe', ok: true, totalMs: 1, bytes: -1, bytesPerSec: 1 }],
    ['infinite bytesPerSec', { kind: 'probe', ok: true, totalMs: 1, bytes: 1, bytesPerSec: 1 / 0 }],
    ['NaN latency', { kind: 'request', ok: true, latencyMs: Number.NaN }],
    ['missing latency', { kind: 'request', ok: true }],
    ['non-boolean ok', { kind: 'request', ok: 'yes', latencyMs: 1 }],
    ['unknown kind', { kind: 'ping', ok: true }],
    ['null', null],
  ])('rejects %s with LB_RANKING_INVALID_SAMPLE', (_name, sample) => {
    expect(errorCode(() => validateSample(sample as Sample, 0))).toBe('LB_RANKING_INVALID_SAMPLE');
  });

  it('rejects a non-finite clock', () => {
    const sample: Sample = { kind: 'probe', ok: false };
    expect(errorCode(() => validateSample(sample, Number.NaN))).toBe('LB_RANKING_INVALID_SAMPLE');
    expect(errorCode(() => validateOutcome({ ok: true, latencyMs: 1, now: 1 / 0 }))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
  });

  it('names the field', () => {
    try {
      validateSample({ kind: 'request', ok: true, latencyMs: Number.NaN }, 0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSampleError);
      expect(error).toMatchObject({ field: 'latencyMs' });
    }
  });
});
