/**
 * Shared test plumbing: real lb-server / lb-balancer processes (spawned from their sources with
 * tsx, as the other apps' tests do), the lb-client CLI as a child process (the bundle built by
 * global-setup.ts), tiny raw-socket servers that misbehave on purpose, files of random bytes and
 * their SHA-256.
 */
import { ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  AppProcess,
  appDir,
  makeTempDir as kitMakeTempDir,
  startBalancer as kitStartBalancer,
  writeRandomFile as kitWriteRandomFile,
  REPO_ROOT,
  type SpawnOptions,
  sha256,
  sha256File,
  startServer,
  stopAllApps,
} from '@lb/test-kit';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, expect, inject } from 'vitest';

export { removeDir, seededRandom, sha256File } from '@lb/test-kit';
export { REPO_ROOT };

// Whatever a test file leaves running is stopped when the file ends. The benchmark imports this
// module outside vitest; there the kit's exit hook does the cleaning.
if (process.env.VITEST) afterAll(() => stopAllApps());

export const APP_DIR = appDir('client');
export const SERVER_DIR = appDir('server');
export const BALANCER_DIR = appDir('balancer');
export const MiB = 1024 * 1024;

export function makeTempDir(prefix = 'lb-client-test-'): Promise<string> {
  return kitMakeTempDir(prefix);
}

/** Writes `size` random bytes to `path`; returns their SHA-256 (hex). */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  return sha256(await kitWriteRandomFile(path, size));
}

// ---- processes ------------------------------------------------------------------------------

/** A child process (through @lb/test-kit) with its output collected and waitable. */
export class Proc extends AppProcess {
  constructor(spawned: ChildProcess | SpawnOptions) {
    super(spawned instanceof ChildProcess ? { child: spawned } : spawned);
  }

  /** Resolves with the first match of `pattern` in stdout+stderr (now or later). */
  waitFor(pattern: RegExp, timeoutMs = 30_000, stream: 'stdout' | 'stderr' | 'both' = 'both') {
    return this.waitForText(pattern, { timeoutMs, stream });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.signal(signal);
  }
}

/** n virtual lb-servers serving `file` (`lb-server -i -n -f -p`), stdin open for E<k>/S<k>. */
export class VirtualServers {
  readonly proc: AppProcess;
  readonly ports: number[];

  private constructor(proc: AppProcess, ports: number[]) {
    this.proc = proc;
    this.ports = ports;
  }

  static async start(options: {
    file: string;
    count: number;
    extra?: readonly string[];
  }): Promise<VirtualServers> {
    const ports = Array.from({ length: options.count }, () => '0');
    const servers = await startServer(
      [
        '-i',
        '3600',
        '-n',
        String(options.count),
        '-f',
        options.file,
        '-p',
        ...ports,
        '--log-level',
        'error',
        ...(options.extra ?? []),
      ],
      { listeners: options.count, stdin: true },
    );
    return new VirtualServers(
      servers.process,
      servers.urls.map((url) => Number(new URL(url).port)),
    );
  }

  urls(path: string): string[] {
    return this.ports.map((port) => `http://127.0.0.1:${port}${path}`);
  }

  /** `E<k>`: shut server k down; resolves once it says so. */
  async kill(k: number): Promise<void> {
    await this.#command(`E${k}`, `Server ${k} shut down.`);
  }

  /** `S<k>`: start server k again on its port. */
  async restart(k: number): Promise<void> {
    await this.#command(`S${k}`, `Server ${k} started`);
  }

  async stop(): Promise<void> {
    this.proc.send('q');
    const timer = setTimeout(() => this.proc.signal('SIGKILL'), 10_000);
    await this.proc.exited;
    clearTimeout(timer);
  }

  /** Sends a console command and waits for the `reply` event that starts with `answer`. */
  async #command(command: string, answer: string): Promise<void> {
    const reply = this.proc.waitForEvent('reply', {
      includePast: false,
      timeoutMs: 30_000,
      where: (event) => String(event['message']).startsWith(answer),
    });
    this.proc.send(command);
    await reply;
  }
}

/**
 * For the enclosing suite: `size` random bytes as `name` in a temp dir, served by virtual
 * lb-servers (`VirtualServers.start` options) started before its tests and stopped after them.
 */
export function useVirtualServers(
  name: string,
  size: number,
  options: { count: number; extra?: readonly string[] },
): { readonly servers: VirtualServers; readonly sha: string } {
  let servers: VirtualServers | undefined;
  let sha = '';
  const dir = useTempDir(async (path) => {
    sha = await writeRandomFile(join(path, name), size);
  });
  beforeAll(async () => {
    servers = await VirtualServers.start({ file: join(dir.path, name), ...options });
  });
  afterAll(() => servers?.stop());
  return {
    get servers() {
      return servers!;
    },
    get sha() {
      return sha;
    },
  };
}

/** One lb-server over a directory (`lb-server --root DIR --port 0`). */
export async function startSingleServer(
  root: string,
  extra: readonly string[] = [],
): Promise<{
  proc: AppProcess;
  port: number;
  url: (path: string) => string;
  stop: () => Promise<void>;
}> {
  const server = await startServer([
    '--root',
    root,
    '--port',
    '0',
    '--log-level',
    'error',
    ...extra,
  ]);
  return {
    proc: server.process,
    port: server.port,
    url: (path) => `${server.url}${path}`,
    stop: async () => {
      await server.stop();
    },
  };
}

/** lb-balancer over `servers` (host:port), testing them with `probePath`. */
export async function startBalancer(
  servers: readonly string[],
  probePath: string,
): Promise<{ proc: AppProcess; port: number; stop: () => Promise<void> }> {
  const balancer = await kitStartBalancer([
    '--port',
    '0',
    '--probe-path',
    probePath,
    '--log-level',
    'error',
    ...servers,
  ]);
  return {
    proc: balancer.process,
    port: balancer.port,
    stop: async () => {
      await balancer.stop();
    },
  };
}

export interface ClientSpawnOptions {
  cwd?: string;
  /** Options for node, before the bundle's path (`node --trace-opt lb-client.mjs …`). */
  nodeOptions?: readonly string[];
}

/** lb-client (the bundle: the suite's, or LB_CLIENT_BUNDLE's for the bench) as a child process. */
export function spawnClient(args: readonly string[], options: ClientSpawnOptions = {}): Proc {
  const bundle = process.env['LB_CLIENT_BUNDLE'] ?? inject('clientBundle');
  return new Proc({
    args: [...(options.nodeOptions ?? []), bundle, ...args],
    cwd: options.cwd ?? APP_DIR,
    label: 'lb-client',
  });
}

export interface ClientRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs lb-client to its end. */
export async function runClient(
  args: readonly string[],
  options: ClientSpawnOptions = {},
): Promise<ClientRun> {
  const proc = spawnClient(args, options);
  const { code, signal } = await proc.exited;
  return { code, signal, stdout: proc.stdout, stderr: proc.stderr };
}

/** The `metrics` events among the complete lines a running `--json` client printed so far. */
export function metricsSoFar<T>(stdout: string): T[] {
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  return jsonEvents(complete).filter((e) => e.event === 'metrics') as unknown as T[];
}

/** `-a 127.0.0.1 -p PORT…`: lb-client's servers mode over local ports. */
export function localPorts(ports: ReadonlyArray<number | string>): string[] {
  return ['-a', '127.0.0.1', '-p', ...ports.map(String)];
}

/** A `--json` run over local ports with a metrics event every 100 ms (`extra` before `-o`). */
export function jsonRunArgs(
  out: string,
  ports: ReadonlyArray<number | string>,
  extra: readonly string[] = [],
): string[] {
  return ['--json', '-i', '0.1', ...extra, '-o', out, ...localPorts(ports)];
}

/**
 * `--json` with metrics every 20 ms and a manifest checkpoint every 50 ms: a run that is killed
 * midway has reported what it received and saved some of it.
 */
export const FAST_CHECKPOINTS: readonly string[] = [
  '--json',
  '-i',
  '0.02',
  '--checkpoint-interval',
  '0.05',
];

/** The run exited 0 and the file it wrote at `path` has SHA-256 `sha`. */
export async function expectDownloaded(run: ClientRun, path: string, sha: string): Promise<void> {
  expect(run.code).toBe(0);
  expect(await sha256File(path)).toBe(sha);
}

/** The JSON events a `--json` run printed. */
export function jsonEvents(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// ---- raw servers ----------------------------------------------------------------------------

export interface RawServer {
  port: number;
  url: (path: string) => string;
  close: () => Promise<void>;
}

/** Listens on 127.0.0.1 (a free port); `close` destroys the open `sockets` and stops it. */
async function listenOnLoopback(server: Server, sockets: Set<Socket>): Promise<RawServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP server that answers each request head with whatever `respond` writes on the socket
 * (literal bytes), for the responses no well-behaved server sends.
 */
export async function startRawServer(
  respond: (socket: Socket, requestHead: string) => void,
): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let end = buffered.indexOf('\r\n\r\n');
      while (end >= 0) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        respond(socket, head);
        end = buffered.indexOf('\r\n\r\n');
      }
    });
  });
  return listenOnLoopback(server, sockets);
}

/** The request-target of a raw request head. */
export function requestTarget(head: string): string {
  return head.split('\r\n')[0]!.split(' ')[1]!;
}

/**
 * A TCP proxy to `targetPort` that records every byte the target sends back, so a test can
 * compare what the client printed with exactly what went over the wire.
 */
export async function startRecordingProxy(
  targetPort: number,
): Promise<RawServer & { received: () => Buffer }> {
  const { connect } = await import('node:net');
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return { ...(await listenOnLoopback(server, sockets)), received: () => Buffer.concat(chunks) };
}

/**
 * A proxy to `targetPort` that answers the first `refusals` requests itself with `status` (and
 * `Retry-After: 1`), closing those connections, then passes everything through: a busy mirror.
 */
export async function startBusyGate(
  targetPort: number,
  refusals: number,
  status = '503 Service Unavailable',
): Promise<RawServer & { refused: () => number }> {
  const { connect } = await import('node:net');
  let refused = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.once('data', (first: Buffer) => {
      if (refused < refusals) {
        refused++;
        client.end(
          `HTTP/1.1 ${status}\r\nRetry-After: 1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbusy\n`,
        );
        return;
      }
      const upstream = connect(targetPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  return { ...(await listenOnLoopback(server, sockets)), refused: () => refused };
}
