/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. A 503/429 mirror is retried
 * no sooner than it asks, capped so that one mirror cannot park itself for hours.
 */

/** The longest wait `retryAfterMs` returns. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_MS);
}

/**
 * The delay-seconds form for a wait of `seconds`: whole seconds rounded up, at least 1, since
 * `0` would invite the client to retry at once.
 */
export function formatRetryAfter(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}
