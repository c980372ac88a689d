/**
 * One SIGKILL/resume trial, shared by the test suite (≥ 50 cheap trials) and the bench (more):
 * start a --json download, SIGKILL it as soon as a metrics report shows at least `killAtFraction`
 * of the file received, rerun with -r, and measure what the second run had to fetch again.
 *
 * Re-downloaded bytes are measured as B1 − M: B1 the bytes run 1 had received at its last report
 * (the kill is sent the moment that report arrives), M the verified bytes run 2 found in the
 * manifest. The bound is connections × fragment size (transfers in flight, lost by design: a
 * fragment is only kept once its digest verified; connections = the most run 1 reported, since
 * `--connections auto` varies them) plus one checkpoint's worth (V1 − C1: verified but not yet
 * recorded in a saved manifest at that report) plus run 1's own discarded bytes.
 */
import { join } from 'node:path';
import {
  FAST_CHECKPOINTS,
  jsonEvents,
  localPorts,
  metricsSoFar,
  sha256File,
  spawnClient,
} from './helpers.js';

export interface TrialOptions {
  ports: readonly number[];
  outDir: string;
  killAtFraction: number;
  fileName: string;
  expectedSha256: string;
}

export interface TrialResult {
  killed: boolean;
  identical: boolean;
  exitCode: number | null;
  size: number;
  fragmentSize: number;
  connections: number;
  /** B1, V1, C1 at run 1's last report; waste1 = its duplicate + wasted bytes. */
  received1: number;
  verified1: number;
  checkpointed1: number;
  waste1: number;
  /** M: verified bytes run 2 resumed with. */
  resumed: number;
  /** B1 − M. */
  redownloaded: number;
  /** connections × fragment size + (V1 − C1) + waste1. */
  bound: number;
  /** R2: bytes run 2 received. */
  received2: number;
}

type Metrics = {
  servers: Array<{ bytes: number; connections: number }>;
  total: { verifiedBytes: number };
  checkpointedBytes: number;
  duplicateBytes: number;
  wastedBytes: number;
  size: number;
};

function received(event: Metrics): number {
  return event.servers.reduce((sum, s) => sum + s.bytes, 0);
}

export async function runKillTrial(options: TrialOptions): Promise<TrialResult> {
  const args = [...FAST_CHECKPOINTS, '-o', options.outDir, ...localPorts(options.ports)];
  const first = spawnClient(args);
  let killed = false;
  let lastReport: Metrics | undefined;
  let connections = options.ports.length;
  first.child.stdout?.on('data', () => {
    if (killed) return;
    const reports = metricsSoFar<Metrics>(first.stdout);
    const latest = reports.at(-1);
    if (latest === undefined) return;
    for (const report of reports) {
      connections = Math.max(
        connections,
        report.servers.reduce((sum, s) => sum + s.connections, 0),
      );
    }
    if (received(latest) >= options.killAtFraction * latest.size) {
      lastReport = latest;
      killed = first.child.kill('SIGKILL');
    }
  });
  await first.exited;

  const second = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const proc = spawnClient([...args, '-r']);
    proc.exited.then(({ code }) => resolve({ code, stdout: proc.stdout }));
  });
  const events = jsonEvents(second.stdout);
  const started = events.find((e) => e.event === 'started') as
    | { resumedBytes: number; size: number; fragmentSize: number }
    | undefined;
  const done = events.find((e) => e.event === 'done') as
    | { serverBytes: number[]; resumedBytes: number; size: number }
    | undefined;
  const identical =
    second.code === 0 &&
    (await sha256File(join(options.outDir, options.fileName))) === options.expectedSha256;

  const report = killed ? lastReport! : undefined;
  // Killed after the final rename: run 2 only finds the finished file (no `started` event).
  const size = started?.size ?? done?.size ?? 0;
  const fragmentSize = started?.fragmentSize ?? 0;
  const received1 = report ? received(report) : 0;
  const verified1 = report?.total.verifiedBytes ?? 0;
  const checkpointed1 = report?.checkpointedBytes ?? 0;
  const waste1 = report ? report.duplicateBytes + report.wastedBytes : 0;
  const resumed = started?.resumedBytes ?? done?.resumedBytes ?? 0;
  return {
    killed,
    identical,
    exitCode: second.code,
    size,
    fragmentSize,
    connections,
    received1,
    verified1,
    checkpointed1,
    waste1,
    resumed,
    redownloaded: killed ? Math.max(0, received1 - resumed) : 0,
    bound: connections * fragmentSize + (verified1 - checkpointed1) + waste1,
    received2: done ? done.serverBytes.reduce((a, b) => a + b, 0) : 0,
  };
}
