/**
 * The demo itself: six phases, each a real program doing its real job, and a cleanup that runs
 * whatever happens (success, a failing phase, Ctrl-C).
 *
 *   1. write a synthetic sample.mp4 into a temp dir
 *   2. lb-server: 4 virtual servers with different --rate
 *   3. lb-balancer in front of them (its ranking table)
 *   4. lb-client mode 1 through the balancer (the 301, followed)
 *   5. lb-client mode 2 from all servers at once; E<k> kills one a third of the way
 *   6. SHA-256 of both downloads against the source
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './app-command.js';
import { type ChildExit, ChildProgram, type ChildProgramOptions } from './child-program.js';
import { type MetricsBlock, MetricsBlockReader } from './client-metrics.js';
import {
  ChildExitedError,
  DigestMismatchError,
  describeExit,
  StepTimeoutError,
} from './demo-errors.js';
import { DemoOutput } from './demo-output.js';
import { formatManualCommands } from './manual-commands.js';
import { PhaseClock } from './phase-clock.js';
import { MIB, type SampleFile, SYNTHETIC_NOTE, writeSampleVideo } from './sample-video.js';
import { formatRate, rateBytesPerSecond } from './server-rate.js';
import { parseStatusLine, type StatusBlock, StatusBlockReader } from './server-status.js';
import { sha256OfFile } from './sha256-file.js';
import {
  type DigestCheck,
  formatDigestChecks,
  formatMiB,
  formatPercent,
  formatSummary,
  formatVerdict,
  type ServerShare,
  type ShutDownServer,
} from './summary.js';

export const SAMPLE_FILE_NAME = 'sample.mp4';
export const DEFAULT_SIZE_MIB = 8;
/**
 * Slowest first, so Server 4 is the fastest. The balancer's performance test fetches the whole
 * file from every server, so the slowest rate sets its length (8 MiB at 2 MiB/s: 4 s); together
 * these deliver ~15 MiB/s in mode 2. The whole demo then takes ~15 s on an idle 2-core machine,
 * mostly process start-up, and stays under 30 s when the machine is busy.
 */
export const SERVER_RATES = ['2M', '3M', '4M', '6M'] as const;
/** The fastest: losing it mid-way is the most visible test of the client's failover. */
export const SERVER_TO_SHUT_DOWN = 4;
/** "About a third is done": of the file's bytes received from all servers together. */
export const SHUT_DOWN_AT_FRACTION = 1 / 3;
/**
 * Mode 2 lasts about a second: reports every 0.1 s make it watchable, and let the demo shut the
 * server down close to a third of the way (one report is ~1.5 MiB at full speed).
 */
export const METRICS_INTERVAL_SECONDS = 0.1;
/** lb-server's status block; only changed blocks are echoed, so this only sets how soon "dead" shows. */
export const STATUS_INTERVAL_SECONDS = 0.5;
/**
 * Fixes the balancer's random source, so every run redirects to the same server. With
 * rank-weighted picks (40/30/20/10%) seed 4's first draw lands on the fastest server, the most
 * likely pick and the quickest mode 1 download.
 */
export const BALANCER_SEED = 4;
/** SIGTERM, then SIGKILL after this long. The apps stop in milliseconds when healthy. */
const STOP_GRACE_MS = 3000;

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

/** The programs the demo started, stopped in reverse order whatever happens. */
class ProgramSet {
  readonly #programs: ChildProgram[] = [];
  readonly #killAll = () => {
    for (const program of this.#programs) program.signalGroup('SIGKILL');
  };

  constructor() {
    // Last resort: if the demo itself dies of a bug, no child may outlive it.
    process.on('exit', this.#killAll);
  }

  add(program: ChildProgram): ChildProgram {
    this.#programs.push(program);
    return program;
  }

  /** Stops every program still running (newest first); returns what happened to each. */
  async stopAll(hurry: AbortSignal): Promise<Array<{ program: ChildProgram; exit: ChildExit }>> {
    const stopped: Array<{ program: ChildProgram; exit: ChildExit }> = [];
    for (const program of [...this.#programs].reverse()) {
      const wasRunning = program.running;
      // Also for the clients that exited on their own: their process groups must be empty too.
      const exit = await program.stop(STOP_GRACE_MS, hurry);
      if (wasRunning) stopped.push({ program, exit });
    }
    process.off('exit', this.#killAll);
    return stopped;
  }
}

interface PhaseResults {
  sample: SampleFile;
  ports: number[];
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
  const signal = AbortSignal.any([options.signal, failure.signal]);
  let quiet = false;

  out.note(
    'lb demo: one file on 4 mirrors of different speeds, a balancer that ranks them and redirects,',
  );
  out.note('and a client that downloads from all of them at once and survives one of them dying.');
  out.note(
    `temp dir: ${tempDir} (${options.keep ? 'kept at the end: --keep' : 'removed at the end'})`,
  );

  const start = (options: StartOptions): ChildProgram => {
    const program = programs.add(
      new ChildProgram({
        ...options,
        onStdoutLine: (line) => {
          if (!quiet) options.onStdoutLine?.(line);
        },
        onStderrLine: (line) => {
          if (!quiet) options.onStderrLine?.(line);
        },
      }),
    );
    out.speaker('demo', `started ${program.name} ${options.args.join(' ')} (pid ${program.pid})`);
    program.exited.then((exit) => {
      if (!program.stopping && options.background === true) {
        failure.abort(new ChildExitedError(program, exit));
      }
    });
    return program;
  };

  let results: PhaseResults | undefined;
  let failed: unknown;
  try {
    results = await runPhases({ out, clock, size, tempDir, signal, start });
  } catch (error) {
    failed = error;
  }
  const failedPhase = clock.current;
  clock.end();
  const totalMs = clock.elapsedMs;

  quiet = true;
  out.heading('cleaning up');
  for (const { program, exit } of await programs.stopAll(options.hurry)) {
    out.note(`stopped ${program.name} (pid ${program.pid}): it ${describeExit(exit)}`);
  }
  if (options.keep) {
    out.note(`kept ${tempDir}`);
  } else {
    await rm(tempDir, { recursive: true, force: true });
    out.note(`removed ${tempDir}`);
  }

  if (failed !== undefined) throw new DemoPhaseFailure(failedPhase, failed);
  if (results === undefined) return;

  const shares: ServerShare[] = SERVER_RATES.map((rate, k) => ({
    server: k + 1,
    rate,
    bytes: results.lastMetrics?.serverBytes[k] ?? 0,
  }));
  out.heading('summary');
  out.lines(
    formatSummary({
      timings: clock.timings,
      totalMs,
      fileName: SAMPLE_FILE_NAME,
      size,
      shares,
      shutDown: results.shutDown,
      balancerPick:
        results.balancerPick === undefined ? undefined : shares[results.balancerPick - 1],
      checks: results.checks,
    }).map((line) => (line === '' ? '' : `   ${line}`)),
  );
  out.heading('run each piece by hand');
  out.lines(
    formatManualCommands({
      repoRoot: REPO_ROOT.replace(/\/$/, ''),
      filePath: results.sample.path,
      fileName: SAMPLE_FILE_NAME,
      rates: SERVER_RATES,
      serverToShutDown: SERVER_TO_SHUT_DOWN,
      outputDir: tempDir,
      kept: options.keep,
    }).map((line) => `   ${line}`),
  );
  if (results.checks.some((check) => !check.ok)) {
    throw new DemoPhaseFailure(
      { label: '6/6', title: 'verify SHA-256' },
      new DigestMismatchError(formatVerdict(results.checks, SAMPLE_FILE_NAME)),
    );
  }
}

/** A child to start; `background` ones (server, balancer) must keep running until cleanup. */
type StartOptions = ChildProgramOptions & { background?: boolean };

interface PhaseContext {
  out: DemoOutput;
  clock: PhaseClock;
  size: number;
  tempDir: string;
  signal: AbortSignal;
  start: (options: StartOptions) => ChildProgram;
}

/**
 * `work(signal)`, given at most `ms` before it fails with StepTimeoutError: a child that hangs
 * must end the demo with a message, never keep it waiting forever.
 */
async function withDeadline<T>(
  what: string,
  ms: number,
  program: ChildProgram | undefined,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new StepTimeoutError(what, Math.round(ms / 1000), program)),
    ms,
  );
  try {
    return await work(AbortSignal.any([signal, deadline.signal]));
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when a foreground program exited 0; throws ChildExitedError otherwise. */
async function expectSuccess(program: ChildProgram, signal: AbortSignal): Promise<void> {
  const exit = await program.waitForExit(signal);
  if (exit.code !== 0) throw new ChildExitedError(program, exit);
}

async function runPhases(context: PhaseContext): Promise<PhaseResults> {
  const { out, clock, size, tempDir, signal, start } = context;
  const count = SERVER_RATES.length;
  const slowestRate = Math.min(...SERVER_RATES.map(rateBytesPerSecond));
  // Generous: four times the slowest possible transfer, plus a minute for a very busy machine.
  const stepMs = 60_000 + (4 * size * 1000) / slowestRate;
  const phase = (n: number, title: string, heading: string) => {
    if (signal.aborted) throw signal.reason;
    clock.begin(`${n}/6`, title);
    out.heading(`${n}/6 ${heading}`);
  };

  // 1 ─ the sample
  phase(1, `generate ${SAMPLE_FILE_NAME}`, `generating ${SAMPLE_FILE_NAME} (${formatMiB(size)})`);
  const sample = await writeSampleVideo(join(tempDir, SAMPLE_FILE_NAME), size);
  out.note(`${SYNTHETIC_NOTE}:`);
  out.note("an 'ftyp' box (isom, avc1, mp41), a 'free' box saying so, then an 'mdat' box of");
  out.note('AES-CTR keystream bytes: incompressible like video, and the same file on every run');
  out.note(`${sample.path}  ${sample.size} bytes  sha256 ${sample.sha256}`);

  // 2 ─ the servers
  phase(
    2,
    `start ${count} virtual servers`,
    `starting ${count} virtual servers (lb-server, --rate ${SERVER_RATES.join(' ')})`,
  );
  const statusReader = new StatusBlockReader(count);
  let shownBlock = '';
  let latestBlock: StatusBlock | undefined;
  // lb-server copies the file into $TMPDIR/lb-server-*/ (and tsx keeps its cache in $TMPDIR):
  // inside our temp dir, those are removed with it even if the server has to be killed.
  const serverTmp = join(tempDir, 'lb-server-tmp');
  await mkdir(serverTmp);
  const server = start({
    app: 'server',
    background: true,
    stdin: true,
    env: { TMPDIR: serverTmp },
    args: [
      '-i',
      String(STATUS_INTERVAL_SECONDS),
      '-n',
      String(count),
      '-f',
      sample.path,
      '-p',
      ...SERVER_RATES.map(() => '0'),
      '--rate',
      ...SERVER_RATES,
      '--shutdown-grace',
      '1000',
    ],
    onStdoutLine: (line) => {
      if (parseStatusLine(line) === undefined) {
        out.speaker('server', line);
        return;
      }
      const block = statusReader.push(line);
      if (block === undefined) return;
      latestBlock = block;
      const text = block.lines.join('\n');
      if (text === shownBlock) return;
      shownBlock = text;
      for (const blockLine of block.lines) out.speaker('server', blockLine);
    },
  });
  const firstBlock = await withDeadline('lb-server start', stepMs, server, signal, (signal) =>
    server.waitForLine(() => latestBlock, signal),
  );
  const ports = firstBlock.statuses.map((status) => status.port);

  // 3 ─ the balancer
  const probePath = `/${SAMPLE_FILE_NAME}`;
  phase(
    3,
    'start the balancer',
    `starting the balancer (lb-balancer: GET ${probePath} from every server, rank them, then 301)`,
  );
  const balancer = start({
    app: 'balancer',
    background: true,
    args: [
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--probe-path',
      probePath,
      '--probe-timeout',
      String(Math.ceil(stepMs / 1000)),
      '--port',
      '0',
      '--seed',
      String(BALANCER_SEED),
    ],
    onStdoutLine: (line) => out.speaker('balancer', line),
  });
  const balancerUrl = await withDeadline('lb-balancer start', stepMs, balancer, signal, (signal) =>
    balancer.waitForLine((line) => /^listening on (http:\/\/\S+)$/.exec(line)?.[1], signal),
  );

  // 4 ─ mode 1 through the balancer
  phase(
    4,
    'download through the balancer',
    'downloading through the balancer (lb-client mode 1: the 301 is shown and followed)',
  );
  const viaBalancer = join(tempDir, 'via-balancer', SAMPLE_FILE_NAME);
  let balancerPick: number | undefined;
  const clientNotice = (line: string) => {
    if (line.startsWith('lb-client: ')) out.speaker('client', line);
  };
  const single = start({
    app: 'client',
    args: [`${balancerUrl}${probePath}`, '-o', viaBalancer],
    onStdoutLine: (line) => {
      out.speaker('client', line);
      const location = /^Location: http:\/\/[^/]*:(\d+)\//i.exec(line);
      if (location !== null) {
        const index = ports.indexOf(Number(location[1]));
        if (index >= 0) balancerPick = index + 1;
      }
    },
    onStderrLine: clientNotice,
  });
  await withDeadline('lb-client mode 1', stepMs, single, signal, (signal) =>
    expectSuccess(single, signal),
  );
  if (balancerPick !== undefined) {
    out.speaker(
      'demo',
      `the 301 sent the client to Server ${balancerPick} (${formatRate(SERVER_RATES[balancerPick - 1] ?? '')})`,
    );
  }

  // 5 ─ mode 2 from every server, one of them killed a third of the way
  phase(
    5,
    `download from all servers, Server ${SERVER_TO_SHUT_DOWN} dies`,
    `downloading from all ${count} servers at once (lb-client mode 2); Server ${SERVER_TO_SHUT_DOWN} is shut down a third of the way`,
  );
  const allServersDir = join(tempDir, 'all-servers');
  const metrics = new MetricsBlockReader();
  let lastMetrics: MetricsBlock | undefined;
  const shutDown: ShutDownServer = { server: SERVER_TO_SHUT_DOWN, atReceivedBytes: undefined };
  let shutDownSent = false;
  const shutDownServer = (block: MetricsBlock | undefined) => {
    shutDownSent = true;
    shutDown.atReceivedBytes = block?.receivedBytes;
    const progress =
      block === undefined
        ? 'the download finished before a third was reported'
        : `${formatPercent(block.receivedBytes, size)} of the file received`;
    out.speaker(
      'demo',
      `${progress}: writing E${SERVER_TO_SHUT_DOWN} to lb-server's stdin (Server ${SERVER_TO_SHUT_DOWN} crashes mid-transfer)`,
    );
    server.writeLine(`E${SERVER_TO_SHUT_DOWN}`);
  };
  const multi = start({
    app: 'client',
    args: [
      '-i',
      String(METRICS_INTERVAL_SECONDS),
      '-o',
      allServersDir,
      '-a',
      '127.0.0.1',
      '-p',
      ...ports.map(String),
      '--no-progress',
    ],
    onStdoutLine: (line) => {
      out.speaker('client', line);
      const block = metrics.push(line);
      if (block === undefined) return;
      lastMetrics = block;
      if (!shutDownSent && block.receivedBytes >= size * SHUT_DOWN_AT_FRACTION) {
        shutDownServer(block);
      }
    },
    onStderrLine: clientNotice,
  });
  await withDeadline('lb-client mode 2', stepMs, multi, signal, (signal) =>
    expectSuccess(multi, signal),
  );
  if (!shutDownSent) shutDownServer(undefined);
  // The server's own word that it is down: the next status block (echoed because it changed).
  const isDead = () =>
    latestBlock?.statuses[SERVER_TO_SHUT_DOWN - 1]?.alive === false ? true : undefined;
  if (isDead() === undefined) {
    await withDeadline('lb-server status after E4', stepMs, server, signal, (signal) =>
      server.waitForLine(isDead, signal),
    );
  }

  // 6 ─ verify
  phase(6, 'verify SHA-256', 'verifying the SHA-256 of both downloads against the source');
  const downloads = [
    { label: 'via the balancer (mode 1)', path: viaBalancer },
    { label: 'from all servers (mode 2)', path: join(allServersDir, SAMPLE_FILE_NAME) },
  ];
  const checks: DigestCheck[] = [];
  for (const download of downloads) {
    const sha256 = await sha256OfFile(download.path);
    checks.push({ label: download.label, sha256, ok: sha256 === sample.sha256 });
  }
  for (const line of formatDigestChecks(checks, SAMPLE_FILE_NAME, sample.sha256)) out.note(line);
  clock.end();

  return { sample, ports, balancerPick, lastMetrics, shutDown, checks };
}
