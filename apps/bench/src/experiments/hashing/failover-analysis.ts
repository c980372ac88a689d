/**
 * Turns the records of a load that ran through replica kills into the failover numbers: which
 * failures were in flight on the killed replica, which were sent to it after the kill (the balancer
 * had not noticed yet), which happened elsewhere, and when the replacement first served. Pure, so
 * the accounting is tested on hand-made records.
 *
 * The balancer notices a dead replica when the child's exit reaches its event loop; until then it
 * may still redirect to it. The client sees that moment as the first /rep without the victim, so
 * failures are split at the kill and at that moment.
 */
import { failureLabel, sortedCounts } from '../../stats/aggregate-requests.js';
import type { RequestRecord } from '../../stats/request-record.js';
import type { FailoverTrial } from './hash-results.js';

export interface KillEvent {
  /** ms since the load started. */
  atMs: number;
  victim: string;
  victimPid: number;
  replacement: string | null;
  /** ms since the load started when /rep first no longer listed the victim; null if never. */
  goneAtMs: number | null;
  /** ms since the load started when /rep first listed the replacement as up; null if never. */
  upAtMs: number | null;
}

/** When the request's redirect came back (it was sent to its server from then on). */
function redirectedAt(record: RequestRecord): number {
  return record.startedAtMs + record.redirectMs;
}

function finishedAt(record: RequestRecord): number {
  return record.startedAtMs + record.totalMs;
}

export function analyzeKill(
  records: readonly RequestRecord[],
  kill: KillEvent,
  windowMs: number,
): FailoverTrial {
  let lostInFlight = 0;
  let lostInDetectionWindow = 0;
  let lostAfterDetection = 0;
  const failures = new Map<string, number>();
  let completedInWindow = 0;
  let servedAt: number | null = null;
  let lastRedirect: number | null = null;
  for (const record of records) {
    if (record.server === kill.victim && redirectedAt(record) > kill.atMs) {
      lastRedirect = Math.max(lastRedirect ?? 0, redirectedAt(record));
    }
    const finished = finishedAt(record);
    if (finished >= kill.atMs && finished <= kill.atMs + windowMs) completedInWindow++;
    if (record.server === kill.victim && !record.ok) {
      const label = failureLabel(record);
      failures.set(label, (failures.get(label) ?? 0) + 1);
      const redirected = redirectedAt(record);
      if (redirected <= kill.atMs) lostInFlight++;
      else if (kill.goneAtMs === null || redirected <= kill.goneAtMs) lostInDetectionWindow++;
      else lostAfterDetection++;
    }
    if (record.ok && kill.replacement !== null && record.server === kill.replacement) {
      if (finished >= kill.atMs && (servedAt === null || finished < servedAt)) servedAt = finished;
    }
  }
  return {
    victim: kill.victim,
    victimPid: kill.victimPid,
    replacement: kill.replacement,
    goneAfterMs: kill.goneAtMs === null ? null : kill.goneAtMs - kill.atMs,
    upAfterMs: kill.upAtMs === null ? null : kill.upAtMs - kill.atMs,
    servedAfterMs: servedAt === null ? null : servedAt - kill.atMs,
    lastRedirectAfterMs: lastRedirect === null ? null : lastRedirect - kill.atMs,
    lostInFlight,
    lostInDetectionWindow,
    lostAfterDetection,
    failures: sortedCounts(failures),
    lostElsewhere: 0,
    completedInWindow,
  };
}

/** Failed requests whose server was not one of the killed replicas (or that never got a redirect). */
export function failuresElsewhere(
  records: readonly RequestRecord[],
  victims: ReadonlySet<string>,
): number {
  return records.filter(
    (record) => !record.ok && (record.server === null || !victims.has(record.server)),
  ).length;
}

/** Completions per `bucketMs` from `fromMs` to `toMs` around `atMs`, split by outcome. */
export function completionTimeline(
  records: readonly RequestRecord[],
  atMs: number,
  fromMs: number,
  toMs: number,
  bucketMs: number,
): Array<{ atMs: number; outcome: 'ok' | 'failed'; count: number }> {
  const buckets = new Map<string, { atMs: number; outcome: 'ok' | 'failed'; count: number }>();
  for (let start = fromMs; start < toMs; start += bucketMs) {
    for (const outcome of ['ok', 'failed'] as const) {
      buckets.set(`${start}:${outcome}`, { atMs: start, outcome, count: 0 });
    }
  }
  for (const record of records) {
    const relative = finishedAt(record) - atMs;
    if (relative < fromMs || relative >= toMs) continue;
    const start = fromMs + Math.floor((relative - fromMs) / bucketMs) * bucketMs;
    const bucket = buckets.get(`${start}:${record.ok ? 'ok' : 'failed'}`);
    if (bucket !== undefined) bucket.count++;
  }
  return [...buckets.values()];
}
