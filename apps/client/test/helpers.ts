/**
 * Shared test plumbing: real lb-server / lb-balancer processes (spawned from their sources with
 * tsx, as the other apps' tests do), the lb-client CLI as a child process (the bundle built by
 * global-setup.ts), tiny raw-socket servers that misbehave on purpose, files of random bytes and
 * their SHA-256.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(APP_DIR, '..', '..');
export const SERVER_DIR = join(REPO_ROOT, 'apps', 'server');
export const BALANCER_DIR = join(REPO_ROOT, 'apps', 'balancer');
export const MiB = 1024 * 1024;

export async function makeTempDir(prefix = 'lb-client-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** Writes `size` random bytes to `path`; returns their SHA-256 (hex). */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const data = randomBytes(size);
  await writeFile(path, data);
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Deterministic [0, 1) random numbers from a seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- processes ------------------------------------------------------------------------------

/** A child process with its output collected and waitable. */
export class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #watchers: Array<() => void> = [];

  constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      this.stdout += text;
      for (const watcher of [...this.#watchers]) watcher();
    });
    child.stderr?.on('data', (text: string) => {
      this.stderr += text;
      for (const watcher of [...this.#watchers]) watcher();
    });
    // Writing to a process that just died must not crash the test.
    child.stdin?.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        for (const watcher of [...this.#watchers]) watcher();
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first match of `pattern` in stdout+stderr (now or later). */
  waitFor(pattern: RegExp, timeoutMs = 30_000, stream: 'stdout' | 'stderr' | 'both' = 'both') {
    return new Promise<RegExpMatchArray>((resolve, reject) => {
      const text = () =>
        stream === 'stdout'
          ? this.stdout
          : stream === 'stderr'
            ? this.stderr
            : this.stdout + this.stderr;
      const check = () => {
        const match = text().match(pattern);
        if (match) {
          done();
          resolve(match);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(
            new Error(
              `process exited before ${pattern}:\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${pattern}:\n${this.stdout}\n${this.stderr}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        const index = this.#watchers.indexOf(check);
        if (index >= 0) this.#watchers.splice(index, 1);
      };
      this.#watchers.push(check);
      check();
    });
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

function spawnTsx(cwd: string, args: readonly string[]): Proc {
  return new Proc(
    spawn(process.execPath, ['--conditions=@lb/source', '--import', 'tsx', 'src/bin.ts', ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
}

/** n virtual lb-servers serving `file` (`lb-server -i -n -f -p`), stdin open for E<k>/S<k>. */
export class VirtualServers {
  readonly proc: Proc;
  readonly ports: number[];

  private constructor(proc: Proc, ports: number[]) {
    this.proc = proc;
    this.ports = ports;
  }

  static async start(options: {
    file: string;
    count: number;
    extra?: readonly string[];
  }): Promise<VirtualServers> {
    const ports = Array.from({ length: options.count }, () => '0');
    const proc = spawnTsx(SERVER_DIR, [
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
    ]);
    await proc.waitFor(new RegExp(`Server ${options.count}: Port: \\d+ Status`), 60_000, 'stdout');
    const found = [...proc.stdout.matchAll(/listening on http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) =>
      Number(m[1]),
    );
    return new VirtualServers(proc, found.slice(0, options.count));
  }

  urls(path: string): string[] {
    return this.ports.map((port) => `http://127.0.0.1:${port}${path}`);
  }

  /** `E<k>`: shut server k down; resolves once it says so. */
  async kill(k: number): Promise<void> {
    const before = this.proc.stdout.length;
    this.proc.send(`E${k}`);
    await waitForText(this.proc, `Server ${k} shut down.`, before);
  }

  /** `S<k>`: start server k again on its port. */
  async restart(k: number): Promise<void> {
    const before = this.proc.stdout.length;
    this.proc.send(`S${k}`);
    await waitForText(this.proc, `Server ${k} started`, before);
  }

  async stop(): Promise<void> {
    this.proc.send('q');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await this.proc.exited;
    clearTimeout(timer);
  }
}

async function waitForText(proc: Proc, text: string, from: number): Promise<void> {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (;;) {
    const match = await proc.waitFor(new RegExp(escaped), 30_000, 'stdout');
    if (proc.stdout.indexOf(text, from) >= 0 && match) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One lb-server over a directory (`lb-server --root DIR --port 0`). */
export async function startSingleServer(
  root: string,
  extra: readonly string[] = [],
): Promise<{ proc: Proc; port: number; url: (path: string) => string; stop: () => Promise<void> }> {
  const proc = spawnTsx(SERVER_DIR, [
    '--root',
    root,
    '--port',
    '0',
    '--log-level',
    'error',
    ...extra,
  ]);
  const match = await proc.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 60_000, 'stdout');
  const port = Number(match[1]);
  return {
    proc,
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    stop: async () => {
      proc.kill('SIGTERM');
      await proc.exited;
    },
  };
}

/** lb-balancer over `servers` (host:port), testing them with `probePath`. */
export async function startBalancer(
  servers: readonly string[],
  probePath: string,
): Promise<{ proc: Proc; port: number; stop: () => Promise<void> }> {
  const proc = spawnTsx(BALANCER_DIR, [
    '--port',
    '0',
    '--probe-path',
    probePath,
    '--log-level',
    'error',
    ...servers,
  ]);
  const match = await proc.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 60_000, 'stdout');
  return {
    proc,
    port: Number(match[1]),
    stop: async () => {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await proc.exited;
      clearTimeout(timer);
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
  return new Proc(
    spawn(process.execPath, [...(options.nodeOptions ?? []), bundle, ...args], {
      cwd: options.cwd ?? APP_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received: () => Buffer.concat(chunks),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    refused: () => refused,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
