/**
 * The demo itself: six phases, each a real program doing its real job, and a cleanup that runs
 * whatever happens (success, a failing phase, Ctrl-C). Then the summary.
 *
 *   1. write a synthetic sample.mp4 into a temp dir
 *   2. lb-server: 4 virtual servers with different --rate
 *   3. lb-balancer in front of them (its ranking table)
 *   4. lb-client mode 1 through the balancer (the 301, followed)
 *   5. lb-client mode 2 from all servers at once; E<k> kills one a third of the way
 *   6. SHA-256 of both downloads against the source
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './app-command.js';
import { ChildProgram } from './child-program.js';
import type { MetricsBlock } from './client-metrics.js';
import { ChildExitedError, DigestMismatchError, describeExit } from './demo-errors.js';
import { DemoOutput } from './demo-output.js';
import {
  downloadFromAllServers,
  downloadThroughBalancer,
  generateSample,
  type PhaseContext,
  type StartOptions,
  startBalancer,
  startServers,
  verifyDownloads,
} from './demo-phases.js';
import {
  SAMPLE_FILE_NAME,
  SERVER_COUNT,
  SERVER_RATES,
  SERVER_TO_SHUT_DOWN,
  STOP_GRACE_MS,
} from './demo-settings.js';
import { formatManualCommands } from './manual-commands.js';
import { PhaseClock } from './phase-clock.js';
import { ProgramSet } from './program-set.js';
import { MIB, type SampleFile } from './sample-video.js';
import { rateBytesPerSecond } from './server-rate.js';
import {
  type DigestCheck,
  formatMiB,
  formatSummary,
  formatVerdict,
  type ServerShare,
  type ShutDownServer,
} from './summary.js';

export interface DemoOptions {
  sizeMiB: number;
  keep: boolean;
  /** Where the temp dir is made (os.tmpdir()). */
  tempParent: string;
  write: (text: string) => void;
  /** Aborted, with a DemoInterruptedError as reason, on the first SIGINT/SIGTERM/SIGHUP. */
  signal: AbortSignal;
  /** Aborted on a second signal: stop children with SIGKILL at once. */
  hurry: AbortSignal;
}

/** A failure, with the phase it happened in (the error itself says what and who). */
export class DemoPhaseFailure extends Error {
  override name = 'DemoPhaseFailure';
  readonly phase: { label: string; title: string } | undefined;
  override readonly cause: unknown;

  constructor(phase: { label: string; title: string } | undefined, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.phase = phase;
    this.cause = cause;
  }
}

interface PhaseResults {
  sample: SampleFile;
  /** Server number the 301 pointed mode 1 at. */
  balancerPick: number | undefined;
  lastMetrics: MetricsBlock | undefined;
  shutDown: ShutDownServer;
  checks: DigestCheck[];
}

/** Runs the demo; resolves when it succeeded, throws DemoPhaseFailure (after cleaning up). */
export async function runDemo(options: DemoOptions): Promise<void> {
  const out = new DemoOutput(options.write);
  const clock = new PhaseClock();
  const size = Math.round(options.sizeMiB * MIB);
  const tempDir = await mkdtemp(join(options.tempParent, 'lb-demo-'));
  const programs = new ProgramSet();
  // A background program (server, balancer) that dies aborts whatever the demo is waiting for.
  const failure = new AbortController();
  let quiet = false;

  out.note(
    'lb demo: one file on 4 mirrors of different speeds, a balancer that ranks them and redirects,',
  );
  out.note('and a client that downloads from all of them at once and survives one of them dying.');
  out.note(
    `temp dir: ${tempDir} (${options.keep ? 'kept at the end: --keep' : 'removed at the end'})`,
  );

  const start = (child: StartOptions): ChildProgram => {
    const program = programs.add(
      new ChildProgram({
        ...child,
        // Once cleanup starts, the children's last words would only interleave with its lines.
        onStdoutLine: (line) => {
          if (!quiet) child.onStdoutLine?.(line);
        },
        onStderrLine: (line) => {
          if (!quiet) child.onStderrLine?.(line);
        },
      }),
    );
    out.speaker('demo', `started ${program.name} ${child.args.join(' ')} (pid ${program.pid})`);
    program.exited.then((exit) => {
      if (!program.stopping && child.background === true) {
        failure.abort(new ChildExitedError(program, exit));
      }
    });
    return program;
  };
  const context: PhaseContext = {
    out,
    size,
    tempDir,
    signal: AbortSignal.any([options.signal, failure.signal]),
    // Generous: four times the slowest transfer, plus a minute for a very busy machine.
    stepMs: 60_000 + (4 * size * 1000) / Math.min(...SERVER_RATES.map(rateBytesPerSecond)),
    start,
  };

  let results: PhaseResults | undefined;
  let failed: { error: unknown } | undefined;
  try {
    results = await runPhases(context, clock);
  } catch (error) {
    failed = { error };
  }
  const failedPhase = clock.current;
  clock.end();
  const totalMs = clock.elapsedMs;

  quiet = true;
  out.heading('cleaning up');
  for (const { program, exit } of await programs.stopAll(STOP_GRACE_MS, options.hurry)) {
    out.note(`stopped ${program.name} (pid ${program.pid}): it ${describeExit(exit)}`);
  }
  if (options.keep) {
    out.note(`kept ${tempDir}`);
  } else {
    await rm(tempDir, { recursive: true, force: true });
    out.note(`removed ${tempDir}`);
  }

  if (failed !== undefined) throw new DemoPhaseFailure(failedPhase, failed.error);
  if (results === undefined) return;
  printSummary(out, results, { size, totalMs, clock, tempDir, keep: options.keep });
  if (results.checks.some((check) => !check.ok)) {
    throw new DemoPhaseFailure(
      { label: '6/6', title: 'verify SHA-256' },
      new DigestMismatchError(formatVerdict(results.checks, SAMPLE_FILE_NAME)),
    );
  }
}

async function runPhases(context: PhaseContext, clock: PhaseClock): Promise<PhaseResults> {
  const phase = (n: number, title: string, heading: string) => {
    if (context.signal.aborted) throw context.signal.reason;
    clock.begin(`${n}/6`, title);
    context.out.heading(`${n}/6 ${heading}`);
  };
  const size = formatMiB(context.size);
  const rates = SERVER_RATES.join(' ');
  const victim = `Server ${SERVER_TO_SHUT_DOWN}`;

  phase(1, `generate ${SAMPLE_FILE_NAME}`, `generating ${SAMPLE_FILE_NAME} (${size})`);
  const sample = await generateSample(context);

  phase(
    2,
    `start ${SERVER_COUNT} virtual servers`,
    `starting ${SERVER_COUNT} virtual servers (lb-server, --rate ${rates})`,
  );
  const servers = await startServers(context, sample);

  phase(
    3,
    'start the balancer',
    `starting the balancer (lb-balancer: GET /${SAMPLE_FILE_NAME} from every server, rank them, then 301)`,
  );
  const balancerUrl = await startBalancer(context, servers.ports);

  phase(
    4,
    'download through the balancer',
    'downloading through the balancer (lb-client mode 1: the 301 is shown and followed)',
  );
  const balanced = await downloadThroughBalancer(context, balancerUrl, servers.ports);

  phase(
    5,
    `download from all servers, ${victim} dies`,
    `downloading from all ${SERVER_COUNT} servers at once (lb-client mode 2); ${victim} is shut down a third of the way`,
  );
  const multi = await downloadFromAllServers(context, servers);

  phase(6, 'verify SHA-256', 'verifying the SHA-256 of both downloads against the source');
  const checks = await verifyDownloads(context, sample, [
    { label: 'via the balancer (mode 1)', path: balanced.path },
    { label: 'from all servers (mode 2)', path: multi.path },
  ]);
  clock.end();

  return {
    sample,
    balancerPick: balanced.pick,
    lastMetrics: multi.lastMetrics,
    shutDown: multi.shutDown,
    checks,
  };
}

function printSummary(
  out: DemoOutput,
  results: PhaseResults,
  run: { size: number; totalMs: number; clock: PhaseClock; tempDir: string; keep: boolean },
): void {
  const shares: ServerShare[] = SERVER_RATES.map((rate, k) => ({
    server: k + 1,
    rate,
    bytes: results.lastMetrics?.serverBytes[k] ?? 0,
  }));
  out.heading('summary');
  const summary = formatSummary({
    timings: run.clock.timings,
    totalMs: run.totalMs,
    fileName: SAMPLE_FILE_NAME,
    size: run.size,
    shares,
    shutDown: results.shutDown,
    balancerPick: results.balancerPick === undefined ? undefined : shares[results.balancerPick - 1],
    checks: results.checks,
  });
  for (const line of summary) out.note(line);

  out.heading('run each piece by hand');
  const commands = formatManualCommands({
    repoRoot: REPO_ROOT.replace(/\/$/, ''),
    filePath: results.sample.path,
    fileName: SAMPLE_FILE_NAME,
    rates: SERVER_RATES,
    serverToShutDown: SERVER_TO_SHUT_DOWN,
    outputDir: run.tempDir,
    kept: run.keep,
  });
  for (const line of commands) out.note(line);
}
