import type { PickContext, PickResult, Strategy } from '../types.js';

/** `exclude` plus `extra`, without copying when there is nothing extra. */
export function mergeExclusions(
  exclude: ReadonlySet<string> | undefined,
  extra: ReadonlySet<string>,
): ReadonlySet<string> | undefined {
  if (extra.size === 0) return exclude;
  if (!exclude || exclude.size === 0) return extra;
  const merged = new Set(exclude);
  for (const id of extra) merged.add(id);
  return merged;
}

/**
 * A wrapper excluded endpoints on its own account; a failed inner pick is 'all-excluded' only if the
 * caller excluded every endpoint, otherwise the wrapper's exclusions made them 'all-unavailable'.
 */
export function callerFailureReason(
  inner: Strategy,
  result: PickResult & { ok: false },
  exclude: ReadonlySet<string> | undefined,
): PickResult {
  if (result.reason !== 'all-excluded') return result;
  const everyExcluded = inner.endpoints.every((endpoint) => exclude?.has(endpoint.id));
  return everyExcluded ? result : { ok: false, reason: 'all-unavailable' };
}

/**
 * `ctx` with `exclude` replaced. Built field by field rather than by object spread, which
 * transpilers targeting older engines (tsx among them) turn into a helper costing ~1 µs per pick.
 */
export function withExclude(
  ctx: PickContext,
  exclude: ReadonlySet<string> | undefined,
): PickContext {
  if (exclude === ctx.exclude) return ctx;
  const next: PickContext = { now: ctx.now };
  if (ctx.hashKey !== undefined) next.hashKey = ctx.hashKey;
  if (exclude !== undefined) next.exclude = exclude;
  return next;
}
