import { InvalidSampleError } from './errors.js';
import type { Outcome, Sample } from './types.js';

/**
 * Rejects samples that would poison an estimator: a NaN or negative duration silently turns
 * every later cost into NaN, and NaN compares false, so the damage would be invisible.
 */
export function validateSample(sample: Sample, now: number): void {
  checkNow(now);
  if (sample === null || typeof sample !== 'object') {
    throw new InvalidSampleError('sample', sample, 'must be an object');
  }
  const ok: unknown = sample.ok;
  if (typeof ok !== 'boolean') throw new InvalidSampleError('ok', ok, 'must be a boolean');
  if (sample.kind === 'probe') {
    if (!sample.ok) return;
    checkDuration('totalMs', sample.totalMs);
    checkDuration('bytes', sample.bytes);
    checkDuration('bytesPerSec', sample.bytesPerSec);
    return;
  }
  if (sample.kind === 'request') {
    checkDuration('latencyMs', sample.latencyMs);
    return;
  }
  throw new InvalidSampleError(
    'kind',
    (sample as { kind: unknown }).kind,
    "must be 'probe' or 'request'",
  );
}

export function validateOutcome(outcome: Outcome): void {
  if (outcome === null || typeof outcome !== 'object') {
    throw new InvalidSampleError('outcome', outcome, 'must be an object');
  }
  if (typeof outcome.ok !== 'boolean') {
    throw new InvalidSampleError('ok', outcome.ok, 'must be a boolean');
  }
  checkDuration('latencyMs', outcome.latencyMs);
  checkNow(outcome.now);
}

export function checkNow(now: number): void {
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new InvalidSampleError('now', now, 'must be a finite number of milliseconds');
  }
}

function checkDuration(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidSampleError(field, value, 'must be a finite number >= 0');
  }
}
