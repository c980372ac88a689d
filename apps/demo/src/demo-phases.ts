/**
 * What each phase of the demo does, one function per phase. Each starts real programs through
 * `context.start` (which tracks them for cleanup), echoes their output behind their names, and
 * waits for what the next phase needs, within a deadline.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProgram, ChildProgramOptions } from './child-program.js';
import { type MetricsBlock, MetricsBlockReader } from './client-metrics.js';
import type { DemoOutput } from './demo-output.js';
import {
  BALANCER_SEED,
  METRICS_INTERVAL_SECONDS,
  SAMPLE_FILE_NAME,
  SERVER_COUNT,
  SERVER_RATES,
  SERVER_SHUTDOWN_GRACE_MS,
  SERVER_TO_SHUT_DOWN,
  SHUT_DOWN_AT_FRACTION,
  STATUS_INTERVAL_SECONDS,
} from './demo-settings.js';
import { type SampleFile, SYNTHETIC_NOTE, writeSampleVideo } from './sample-video.js';
import { formatRate } from './server-rate.js';
import { parseStatusLine, type StatusBlock, StatusBlockReader } from './server-status.js';
import { sha256OfFile } from './sha256-file.js';
import { withDeadline } from './step-deadline.js';
import {
  type DigestCheck,
  formatDigestChecks,
  formatPercent,
  type ShutDownServer,
} from './summary.js';

/** A child to start; `background` ones (server, balancer) must keep running until cleanup. */
export type StartOptions = ChildProgramOptions & { background?: boolean };

export interface PhaseContext {
  out: DemoOutput;
  size: number;
  tempDir: string;
  /** Aborted on Ctrl-C, or when a background program dies. */
  signal: AbortSignal;
  /** How long one step may wait for a child before the demo gives up. */
  stepMs: number;
  start: (options: StartOptions) => ChildProgram;
}

const PROBE_PATH = `/${SAMPLE_FILE_NAME}`;

/** lb-client's notices (`lb-client: …`) are for people; its JSON log lines are not echoed. */
function echoClientNotice(out: DemoOutput) {
  return (line: string) => {
    if (line.startsWith('lb-client: ')) out.speaker('client', line);
  };
}

// 1 ──────────────────────────────────────────────────────────────────────────────────────────

export async function generateSample(context: PhaseContext): Promise<SampleFile> {
  const { out } = context;
  const sample = await writeSampleVideo(join(context.tempDir, SAMPLE_FILE_NAME), context.size);
  out.note(`${SYNTHETIC_NOTE}:`);
  out.note("an 'ftyp' box (isom, avc1, mp41), a 'free' box saying so, then an 'mdat' box of");
  out.note('AES-CTR keystream bytes: incompressible like video, and the same file on every run');
  out.note(`${sample.path}  ${sample.size} bytes  sha256 ${sample.sha256}`);
  return sample;
}

// 2 ──────────────────────────────────────────────────────────────────────────────────────────

export interface RunningServers {
  program: ChildProgram;
  /** Server k's port at index k − 1. */
  ports: number[];
  /** Writes `E<k>` to lb-server's console: server k goes down like a crash. */
  shutDown: (server: number) => void;
  /** Resolves once a status block shows server k dead (it may already have). */
  waitUntilDead: (server: number) => Promise<void>;
}

export async function startServers(
  context: PhaseContext,
  sample: SampleFile,
): Promise<RunningServers> {
  const { out, signal, stepMs } = context;
  const statusReader = new StatusBlockReader(SERVER_COUNT);
  let shownBlock = '';
  let latestBlock: StatusBlock | undefined;
  // lb-server copies the file into $TMPDIR/lb-server-*/ (and tsx keeps its cache in $TMPDIR):
  // inside our temp dir, those are removed with it even if the server has to be killed.
  const serverTmp = join(context.tempDir, 'lb-server-tmp');
  await mkdir(serverTmp);
  const program = context.start({
    app: 'server',
    background: true,
    stdin: true,
    env: { TMPDIR: serverTmp },
    args: [
      ...['-i', String(STATUS_INTERVAL_SECONDS), '-n', String(SERVER_COUNT), '-f', sample.path],
      ...['-p', ...SERVER_RATES.map(() => '0'), '--rate', ...SERVER_RATES],
      ...['--shutdown-grace', String(SERVER_SHUTDOWN_GRACE_MS / 1000)],
    ],
    onStdoutLine: (line) => {
      if (parseStatusLine(line) === undefined) {
        out.speaker('server', line);
        return;
      }
      const block = statusReader.push(line);
      if (block === undefined) return;
      latestBlock = block;
      // A block every half second would bury everything else: only a changed one is news.
      const text = block.lines.join('\n');
      if (text === shownBlock) return;
      shownBlock = text;
      for (const blockLine of block.lines) out.speaker('server', blockLine);
    },
  });
  const firstBlock = await withDeadline('lb-server start', stepMs, program, signal, (signal) =>
    program.waitForLine(() => latestBlock, signal),
  );
  const isDead = (server: number) =>
    latestBlock?.statuses[server - 1]?.alive === false ? true : undefined;
  return {
    program,
    ports: firstBlock.statuses.map((status) => status.port),
    shutDown: (server) => program.writeLine(`E${server}`),
    waitUntilDead: async (server) => {
      if (isDead(server)) return;
      await withDeadline(`lb-server status after E${server}`, stepMs, program, signal, (signal) =>
        program.waitForLine(() => isDead(server), signal),
      );
    },
  };
}

// 3 ──────────────────────────────────────────────────────────────────────────────────────────

/** Starts lb-balancer in front of the servers; resolves with its URL once it listens. */
export async function startBalancer(context: PhaseContext, ports: readonly number[]) {
  const { out, signal, stepMs } = context;
  const program = context.start({
    app: 'balancer',
    background: true,
    args: [
      ...ports.map((port) => `127.0.0.1:${port}`),
      ...['--probe-path', PROBE_PATH, '--probe-timeout', String(Math.ceil(stepMs / 1000))],
      ...['--port', '0', '--seed', String(BALANCER_SEED)],
    ],
    onStdoutLine: (line) => out.speaker('balancer', line),
  });
  return withDeadline('lb-balancer start', stepMs, program, signal, (signal) =>
    program.waitForListening(signal),
  );
}

// 4 ──────────────────────────────────────────────────────────────────────────────────────────

export interface BalancedDownload {
  path: string;
  /** The server the 301's Location named (1-based), when it is one of ours. */
  pick: number | undefined;
}

export async function downloadThroughBalancer(
  context: PhaseContext,
  balancerUrl: string,
  ports: readonly number[],
): Promise<BalancedDownload> {
  const { out, signal, stepMs } = context;
  const path = join(context.tempDir, 'via-balancer', SAMPLE_FILE_NAME);
  let pick: number | undefined;
  const program = context.start({
    app: 'client',
    args: [`${balancerUrl}${PROBE_PATH}`, '-o', path],
    onStdoutLine: (line) => {
      out.speaker('client', line);
      const location = /^Location: http:\/\/[^/]*:(\d+)\//i.exec(line);
      const index = location === null ? -1 : ports.indexOf(Number(location[1]));
      if (index >= 0) pick = index + 1;
    },
    onStderrLine: echoClientNotice(out),
  });
  await withDeadline('lb-client mode 1', stepMs, program, signal, (signal) =>
    program.waitForSuccess(signal),
  );
  if (pick !== undefined) {
    const rate = formatRate(SERVER_RATES[pick - 1] ?? '');
    out.speaker('demo', `the 301 sent the client to Server ${pick} (${rate})`);
  }
  return { path, pick };
}

// 5 ──────────────────────────────────────────────────────────────────────────────────────────

export interface MultiSourceDownload {
  path: string;
  /** The client's last metrics report: bytes per server. */
  lastMetrics: MetricsBlock | undefined;
  shutDown: ShutDownServer;
}

export async function downloadFromAllServers(
  context: PhaseContext,
  servers: RunningServers,
): Promise<MultiSourceDownload> {
  const { out, signal, stepMs, size } = context;
  const directory = join(context.tempDir, 'all-servers');
  const metrics = new MetricsBlockReader();
  let lastMetrics: MetricsBlock | undefined;
  const shutDown: ShutDownServer = { server: SERVER_TO_SHUT_DOWN, atReceivedBytes: undefined };
  let sent = false;
  const shutDownServer = (block: MetricsBlock | undefined) => {
    sent = true;
    shutDown.atReceivedBytes = block?.receivedBytes;
    const progress =
      block === undefined
        ? 'the download finished before a third was reported'
        : `${formatPercent(block.receivedBytes, size)} of the file received`;
    out.speaker(
      'demo',
      `${progress}: writing E${SERVER_TO_SHUT_DOWN} to lb-server's stdin (Server ${SERVER_TO_SHUT_DOWN} crashes mid-transfer)`,
    );
    servers.shutDown(SERVER_TO_SHUT_DOWN);
  };
  const program = context.start({
    app: 'client',
    args: [
      ...['-i', String(METRICS_INTERVAL_SECONDS), '-o', directory],
      ...['-a', '127.0.0.1', '-p', ...servers.ports.map(String), '--no-progress'],
    ],
    onStdoutLine: (line) => {
      out.speaker('client', line);
      const block = metrics.push(line);
      if (block === undefined) return;
      lastMetrics = block;
      if (!sent && block.receivedBytes >= size * SHUT_DOWN_AT_FRACTION) shutDownServer(block);
    },
    onStderrLine: echoClientNotice(out),
  });
  await withDeadline('lb-client mode 2', stepMs, program, signal, (signal) =>
    program.waitForSuccess(signal),
  );
  // On a very busy machine the download may beat the first report past a third: the server
  // still goes down, and the summary says when.
  if (!sent) shutDownServer(undefined);
  // The server's own word that it is down: the next status block (echoed because it changed).
  await servers.waitUntilDead(SERVER_TO_SHUT_DOWN);
  return { path: join(directory, SAMPLE_FILE_NAME), lastMetrics, shutDown };
}

// 6 ──────────────────────────────────────────────────────────────────────────────────────────

export async function verifyDownloads(
  context: PhaseContext,
  sample: SampleFile,
  downloads: ReadonlyArray<{ label: string; path: string }>,
): Promise<DigestCheck[]> {
  const checks: DigestCheck[] = [];
  for (const download of downloads) {
    const sha256 = await sha256OfFile(download.path);
    checks.push({ label: download.label, sha256, ok: sha256 === sample.sha256 });
  }
  for (const line of formatDigestChecks(checks, SAMPLE_FILE_NAME, sample.sha256)) {
    context.out.note(line);
  }
  return checks;
}
